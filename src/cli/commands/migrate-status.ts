import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import { renderStatus } from '../render-migrations.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate status`: every migration with its state, the history problems and the lock. */
export function migrateStatusCommand(reporter: Reporter): Command {
  return leaf({
    command: 'status',
    describe: 'List migrations: applied, pending, failed, running, changed, missing',
    builder: (y) =>
      y
        .example('$0 migrate status', 'every migration: its state, when, by whom, how long')
        .example('$0 migrate status --env prod --json', 'the same for prod, as one JSON document'),
    handler: async (argv) => {
      const { migrateStatus } = await import('../../api/migrate-admin.js')
      const status = await migrateStatus({ ...sessionOptions(argv), emit: reporter.emit })
      reporter.result(status, (style) => renderStatus(status, style))
    },
  })
}
