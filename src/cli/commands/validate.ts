import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import { renderValidate } from '../render-validate.js'
import type { Reporter } from '../reporter.js'

/**
 * `ddbm validate`: config, schemas/ and migrations/ checked offline, every problem reported at once (exit 2).
 * The environment whose names are listed is resolved as for every command: --env, DDBM_ENV, defaultEnv.
 */
export function validateCommand(reporter: Reporter): Command {
  return leaf({
    command: 'validate',
    describe: 'Check ddbm.config.json and schemas/ offline; report every problem at once',
    handler: async (argv) => {
      const { validate } = await import('../../api/validate.js')
      const result = await validate({
        ...projectOptions(argv),
        ...(argv.env === undefined ? {} : { env: argv.env }),
      })
      reporter.result(result, (style) => renderValidate(result, style))
    },
  })
}
