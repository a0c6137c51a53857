import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import { renderVerify } from '../render-verify.js'
import type { Reporter } from '../reporter.js'

/** `ddbm verify [--table T]`: live tables vs schemas/; exit 3 (VERIFY_DRIFT) on any drift. */
export function verifyCommand(reporter: Reporter): Command {
  return leaf({
    command: 'verify',
    describe: 'Compare the live tables with schemas/ (exit 3 on drift)',
    builder: (y) =>
      y
        .option('table', { type: 'string', describe: 'Only this logical table' })
        .example('$0 verify', 'every table of schemas/ against the live one; exit 3 on drift')
        .example('$0 verify --env prod --table Orders', 'one table of prod, with every check'),
    handler: async (argv) => {
      const { verify } = await import('../../api/verify.js')
      const result = await verify({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...(argv.table === undefined ? {} : { table: argv.table }),
      })
      reporter.result(result, (style) => renderVerify(result, undefined, style))
    },
  })
}
