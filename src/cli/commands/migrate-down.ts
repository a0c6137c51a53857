import type { Argv, CommandModule } from 'yargs'
import { migrateDown } from '../../api/index.js'
import { terminalConfirm } from '../confirm.js'
import { parseDuration } from '../duration.js'
import { sessionOptions, type GlobalArgs } from '../global-options.js'
import { renderMigrate } from '../render-migrations.js'
import type { Reporter } from '../reporter.js'

type DownArgs = GlobalArgs & {
  to: string | undefined
  step: number | undefined
  'dry-run': boolean
  'lock-timeout': string | undefined
}

/** `ddbm migrate down [--to NAME|0] [--step N] [--dry-run]`: one migration by default. */
export function migrateDownCommand(reporter: Reporter): CommandModule<GlobalArgs, DownArgs> {
  return {
    command: 'down',
    describe: 'Revert migrations: the last one by default',
    builder: (y) =>
      y
        .option('to', {
          type: 'string',
          describe: 'Revert this migration and every one after it; 0 reverts all',
        })
        .option('step', { type: 'number', describe: 'Revert the last N migrations' })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Print the operations with physical table names; change nothing',
        })
        .option('lock-timeout', { type: 'string', describe: 'How long to wait for the lock' })
        .conflicts('to', 'step') as unknown as Argv<DownArgs>,
    handler: async (argv) => {
      const confirm = terminalConfirm()
      const result = await migrateDown({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...(argv.to === undefined ? {} : { to: argv.to === '0' ? 0 : argv.to }),
        ...(argv.step === undefined ? {} : { step: argv.step }),
        dryRun: argv['dry-run'],
        yes: argv.yes,
        ...(confirm === undefined ? {} : { confirm }),
        ...(argv['lock-timeout'] === undefined
          ? {}
          : { lockTimeoutMs: parseDuration(argv['lock-timeout'], '--lock-timeout') }),
      })
      reporter.result(result, renderMigrate(result))
    },
  }
}
