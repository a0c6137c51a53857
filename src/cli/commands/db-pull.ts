import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import { renderPull } from '../render-verify.js'
import type { Reporter } from '../reporter.js'

/**
 * `ddbm db pull [--table T] [--force] [--dry-run]`: writes schemas/<Table>.json from the environment's
 * live tables; an existing file that differs is left as it is (exit 2, PULL_CONFLICT, with its diff)
 * unless --force.
 */
export function dbPullCommand(reporter: Reporter): Command {
  return leaf({
    command: 'pull',
    describe: 'Write schemas/*.json from the live tables',
    builder: (y) =>
      y
        .option('table', { type: 'string', describe: 'Only this logical table' })
        .option('force', {
          type: 'boolean',
          default: false,
          describe: 'Overwrite schema files that differ from the live tables',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Show what each file would become (a diff); write nothing',
        })
        .example('$0 db pull --env dev', "write schemas/ from dev's tables (adopting ddbm)")
        .example('$0 db pull --table Orders', 'only schemas/Orders.json')
        .example('$0 db pull --dry-run', 'show what each schema file would become; write nothing'),
    handler: async (argv) => {
      const { pull } = await import('../../api/db.js')
      const result = await pull({
        ...sessionOptions(argv),
        emit: reporter.emit,
        force: argv.force,
        dryRun: argv['dry-run'],
        ...(argv.table === undefined ? {} : { table: argv.table }),
      })
      reporter.result(result, (style) => renderPull(result, style))
    },
  })
}
