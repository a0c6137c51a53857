import type { CommandModule } from 'yargs'
import { validate } from '../../api/validate.js'
import type { GlobalArgs } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm validate`: config and schemas/ checked offline, every problem reported at once (exit 2). */
export function validateCommand(reporter: Reporter): CommandModule<GlobalArgs, GlobalArgs> {
  return {
    command: 'validate',
    describe: 'Check ddbm.config.json and schemas/ offline; report every problem at once',
    handler: async (argv) => {
      const result = await validate({
        ...(argv.config === undefined ? {} : { config: argv.config }),
        ...(argv.env === undefined ? {} : { env: argv.env }),
      })
      const n = result.tables.length
      const lines = result.tables.map(
        (t) => `  ${t.name.padEnd(24)} ${t.physicalName}   (${t.file})`,
      )
      reporter.result(
        result,
        [
          `ok: ${n} table schema${n === 1 ? '' : 's'} valid; names in "${result.env}":`,
          ...lines,
        ].join('\n'),
      )
    },
  }
}
