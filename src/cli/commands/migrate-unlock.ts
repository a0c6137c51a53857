import { leaf, type Command } from '../command.js'
import { terminalConfirm } from '../confirm.js'
import { sessionOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate unlock`: removes the lock of a dead run, after a confirmation or --yes. */
export function migrateUnlockCommand(reporter: Reporter): Command {
  return leaf({
    command: 'unlock',
    describe: 'Remove the migration lock of a run that died (asks unless --yes)',
    builder: (y) =>
      y
        .example('$0 migrate unlock --env dev', 'show who holds the lock, ask, then remove it')
        .example('$0 migrate unlock --env dev --yes', 'remove it without asking (CI)'),
    handler: async (argv) => {
      const { migrateUnlock } = await import('../../api/migrate-admin.js')
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
  })
}
