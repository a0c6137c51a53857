import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import { renderLocalStatus } from '../render-local.js'
import type { Reporter } from '../reporter.js'

/** `ddbm local status`: whether the project's DynamoDB Local runs, and where. */
export function localStatusCommand(reporter: Reporter): Command {
  return leaf({
    command: 'status',
    describe: 'Say whether DynamoDB Local runs, and on which port',
    builder: (y) =>
      y
        .example('$0 local status', 'running or not, pid, port, endpoint')
        .example('$0 local status --json', 'the same as one JSON document, for scripts'),
    handler: async (argv) => {
      const { localStatus } = await import('../../api/local.js')
      const result = await localStatus(projectOptions(argv))
      reporter.result(result, (style) => renderLocalStatus(result, style))
    },
  })
}
