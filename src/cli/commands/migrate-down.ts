import { leaf, type Command } from '../command.js'
import { confirmEnvOption } from '../confirm.js'
import { migrateOptions } from '../migrate-options.js'
import { renderMigrate } from '../render-migrations.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate down [--to NAME|0] [--step N] [--dry-run] [--confirm-env ENV]`: one migration by default. */
export function migrateDownCommand(reporter: Reporter): Command {
  return leaf({
    command: 'down',
    describe: 'Revert migrations: the last one by default',
    builder: (y) =>
      confirmEnvOption(y)
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
        .option('lock-timeout', {
          type: 'string',
          describe: 'How long to wait for another run’s lock (default 15m)',
        })
        .conflicts('to', 'step')
        .example('$0 migrate down', 'revert the last applied migration')
        .example('$0 migrate down --step 2 --dry-run', 'print what reverting the last two would do')
        .example('$0 migrate down --env dev --to 0', 'revert every migration in dev'),
    handler: async (argv) => {
      const { migrateDown } = await import('../../api/migrate.js')
      const result = await migrateDown(migrateOptions(argv, reporter))
      reporter.result(result, (style) => renderMigrate(result, style))
    },
  })
}
