import { DdbmError } from '../../errors.js'
import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate resolve <name> --applied|--rolled-back`: exactly one of the two flags (USAGE otherwise). */
export function migrateResolveCommand(reporter: Reporter): Command {
  return leaf({
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
        }),
    handler: async (argv) => {
      const { migrateResolve } = await import('../../api/migrate-admin.js')
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
  })
}
