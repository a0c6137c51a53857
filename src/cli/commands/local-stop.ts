import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm local stop`: stops the DynamoDB Local that `ddbm local start` left running. */
export function localStopCommand(reporter: Reporter): Command {
  return leaf({
    command: 'stop',
    describe: 'Stop the DynamoDB Local started by `ddbm local start`',
    builder: (y) => y.example('$0 local stop', 'stop it; no Java process or open port is left'),
    handler: async (argv) => {
      const { localStop } = await import('../../api/local.js')
      const result = await localStop({ ...projectOptions(argv), emit: reporter.emit })
      reporter.result(result, result.stopped ? `stopped (pid ${result.pid})` : 'not running')
    },
  })
}
