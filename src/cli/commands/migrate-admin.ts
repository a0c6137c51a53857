import type { Argv, CommandModule } from 'yargs'
import { createMigration, migrateResolve, migrateStatus, migrateUnlock } from '../../api/index.js'
import { DdbmError } from '../../errors.js'
import { terminalConfirm } from '../confirm.js'
import { sessionOptions, type GlobalArgs } from '../global-options.js'
import { renderStatus } from '../render-migrations.js'
import type { Reporter } from '../reporter.js'

type CreateArgs = GlobalArgs & { name: string; ts: boolean }
type ResolveArgs = GlobalArgs & { name: string; applied: boolean; 'rolled-back': boolean }

/** `ddbm migrate status`. */
export function migrateStatusCommand(reporter: Reporter): CommandModule<GlobalArgs, GlobalArgs> {
  return {
    command: 'status',
    describe: 'List migrations: applied, pending, failed, running, changed, missing',
    handler: async (argv) => {
      const status = await migrateStatus({ ...sessionOptions(argv), emit: reporter.emit })
      reporter.result(status, renderStatus(status))
    },
  }
}

/** `ddbm migrate create <name> [--ts]`. */
export function migrateCreateCommand(reporter: Reporter): CommandModule<GlobalArgs, CreateArgs> {
  return {
    command: 'create <name>',
    describe: 'Write the next empty migration (JSON operations, or --ts for a data migration)',
    builder: (y) =>
      y.positional('name', { type: 'string', demandOption: true }).option('ts', {
        type: 'boolean',
        default: false,
        describe: 'A TypeScript data migration',
      }) as unknown as Argv<CreateArgs>,
    handler: async (argv) => {
      const created = await createMigration({
        ...(argv.config === undefined ? {} : { config: argv.config }),
        name: argv.name,
        ts: argv.ts,
      })
      reporter.result(created, `created ${created.file}`)
    },
  }
}

/** `ddbm migrate unlock`. */
export function migrateUnlockCommand(reporter: Reporter): CommandModule<GlobalArgs, GlobalArgs> {
  return {
    command: 'unlock',
    describe: 'Remove the migration lock of a run that died (asks unless --yes)',
    handler: async (argv) => {
      const confirm = terminalConfirm()
      const result = await migrateUnlock({
        ...sessionOptions(argv),
        emit: reporter.emit,
        yes: argv.yes,
        ...(confirm === undefined ? {} : { confirm }),
      })
      reporter.result(
        result,
        result.removed
          ? `removed the lock held by ${result.holder} since ${result.since}`
          : 'no lock held',
      )
    },
  }
}

/** `ddbm migrate resolve <name> --applied|--rolled-back`. */
export function migrateResolveCommand(reporter: Reporter): CommandModule<GlobalArgs, ResolveArgs> {
  return {
    command: 'resolve <name>',
    describe: 'Mark a failed or interrupted migration as applied or rolled back',
    builder: (y) =>
      y
        .positional('name', { type: 'string', demandOption: true })
        .option('applied', {
          type: 'boolean',
          default: false,
          describe: 'Its changes are in place',
        })
        .option('rolled-back', {
          type: 'boolean',
          default: false,
          describe: 'Its changes are undone; `up` runs it again',
        }) as unknown as Argv<ResolveArgs>,
    handler: async (argv) => {
      if (argv.applied === argv['rolled-back']) {
        throw new DdbmError('USAGE', 'Give exactly one of --applied and --rolled-back')
      }
      const result = await migrateResolve({
        ...sessionOptions(argv),
        emit: reporter.emit,
        name: argv.name,
        as: argv.applied ? 'applied' : 'rolled-back',
      })
      reporter.result(result, `${result.name} marked ${result.status}`)
    },
  }
}
