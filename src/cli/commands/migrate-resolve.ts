import { DdbmError } from '../../errors.js'
import { leaf, type Command } from '../command.js'
import { terminalConfirm } from '../confirm.js'
import { sessionOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate resolve <name> --applied|--rolled-back`: exactly one of the two flags (USAGE otherwise). */
export function migrateResolveCommand(reporter: Reporter): Command {
  return leaf({
    command: 'resolve <name>',
    describe: 'Mark a failed or interrupted migration as applied or rolled back',
    builder: (y) =>
      y
        .positional('name', {
          type: 'string',
          demandOption: true,
          describe: 'The migration, as `migrate status` names it (0003_backfill)',
        })
        .option('applied', {
          type: 'boolean',
          default: false,
          describe: 'Its changes are in place (one that never ran asks first, or needs --yes)',
        })
        .option('rolled-back', {
          type: 'boolean',
          default: false,
          describe: 'Its changes are undone; `up` runs it again',
        })
        .example(
          '$0 migrate resolve 0003_backfill --rolled-back',
          'undone by hand: `up` runs it again',
        )
        .example('$0 migrate resolve 0003_backfill --applied', 'a failed run finished by hand'),
    handler: async (argv) => {
      const { migrateResolve } = await import('../../api/migrate-admin.js')
      if (argv.applied === argv['rolled-back']) {
        throw new DdbmError('USAGE', 'Give exactly one of --applied and --rolled-back')
      }
      const confirm = terminalConfirm()
      const result = await migrateResolve({
        ...sessionOptions(argv),
        emit: reporter.emit,
        name: argv.name,
        as: argv.applied ? 'applied' : 'rolled-back',
        yes: argv.yes,
        ...(confirm === undefined ? {} : { confirm }),
      })
      reporter.result(result, `${result.name} marked ${result.status}`)
    },
  })
}
