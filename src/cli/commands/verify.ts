import type { Argv, CommandModule } from 'yargs'
import { verify } from '../../api/index.js'
import { sessionOptions, type GlobalArgs } from '../global-options.js'
import { renderVerify } from '../render-verify.js'
import type { Reporter } from '../reporter.js'

type VerifyArgs = GlobalArgs & { table: string | undefined }

/** `ddbm verify [--table T]`: live tables vs schemas/; exit 3 (VERIFY_DRIFT) on any drift. */
export function verifyCommand(reporter: Reporter): CommandModule<GlobalArgs, VerifyArgs> {
  return {
    command: 'verify',
    describe: 'Compare the live tables with schemas/ (exit 3 on drift)',
    builder: (y) =>
      y.option('table', {
        type: 'string',
        describe: 'Only this logical table',
      }) as unknown as Argv<VerifyArgs>,
    handler: async (argv) => {
      const result = await verify({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...(argv.table === undefined ? {} : { table: argv.table }),
      })
      reporter.result(result, renderVerify(result))
    },
  }
}
