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
    describe:
      'Check ddbm.config.json, schemas/, migrations/ and seeds/ offline; report every problem at once',
    builder: (y) =>
      y
        .example('$0 validate', 'check the project; exit 2 listing every problem')
        .example('$0 validate --env prod', "and show the tables' physical names in prod"),
    handler: async (argv) => {
      const { validate } = await import('../../api/validate.js')
      const result = await validate({
        ...projectOptions(argv),
        ...(argv.env === undefined ? {} : { env: argv.env }),
        ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
      })
      reporter.result(result, (style) => renderValidate(result, style))
    },
  })
}
