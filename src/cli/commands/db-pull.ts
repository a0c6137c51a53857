import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import { renderPull } from '../render-verify.js'
import type { Reporter } from '../reporter.js'

/** `ddbm db pull [--table T]`: writes schemas/<Table>.json from the environment's live tables. */
export function dbPullCommand(reporter: Reporter): Command {
  return leaf({
    command: 'pull',
    describe: 'Write schemas/*.json from the live tables',
    builder: (y) => y.option('table', { type: 'string', describe: 'Only this logical table' }),
    handler: async (argv) => {
      const { pull } = await import('../../api/db.js')
      const result = await pull({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...(argv.table === undefined ? {} : { table: argv.table }),
      })
      reporter.result(result, renderPull(result))
    },
  })
}
