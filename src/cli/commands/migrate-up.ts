import { leaf, type Command } from '../command.js'
import { confirmEnvOption } from '../confirm.js'
import { migrateOptions } from '../migrate-options.js'
import { renderMigrate } from '../render-migrations.js'
import type { Reporter } from '../reporter.js'
import { positiveInt } from '../numbers.js'

/** `ddbm migrate up [--to NAME] [--step N] [--dry-run] [--no-verify] [--lock-timeout DURATION] [--confirm-env ENV]`. */
export function migrateUpCommand(reporter: Reporter): Command {
  return leaf({
    command: 'up',
    describe: 'Apply pending migrations (waits for the lock of a parallel run)',
    builder: (y) =>
      confirmEnvOption(y)
        .option('to', { type: 'string', describe: 'Apply up to and including this migration' })
        .option('step', { type: 'number', describe: 'Apply at most N migrations' })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Print the operations with physical table names; change nothing',
        })
        .option('verify', {
          type: 'boolean',
          default: true,
          describe: 'Verify the tables afterwards (--no-verify skips)',
        })
        .option('lock-timeout', {
          type: 'string',
          describe: 'How long to wait for another run’s lock (default 15m)',
        })
        .option('backfill-concurrency', {
          type: 'number',
          describe:
            'Segments each backfill works on at once in this process (default: the backfill’s own)',
        })
        .conflicts('to', 'step')
        .example('$0 migrate up', 'apply every pending migration, then verify the tables')
        .example('$0 migrate up --env dev --dry-run', 'print what would run in dev; change nothing')
        .example('$0 migrate up --to 0002_add_index', 'apply up to and including 0002_add_index'),
    handler: async (argv) => {
      const { migrateUp } = await import('../../api/migrate.js')
      const concurrency = argv['backfill-concurrency']
      const result = await migrateUp({
        ...migrateOptions(argv, reporter),
        verify: argv.verify,
        ...(concurrency === undefined
          ? {}
          : { backfillConcurrency: positiveInt(concurrency, '--backfill-concurrency') }),
      })
      reporter.result(result, (style) => renderMigrate(result, style))
    },
  })
}
