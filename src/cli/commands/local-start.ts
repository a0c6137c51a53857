import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import { renderLocalStatus } from '../render-local.js'
import type { Reporter } from '../reporter.js'

/** `ddbm local start [--port N] [--storage disk|memory]`: the project's DynamoDB Local, in the background. */
export function localStartCommand(reporter: Reporter): Command {
  return leaf({
    command: 'start',
    describe:
      'Start DynamoDB Local in the background (data under .ddbm/data unless --storage memory)',
    builder: (y) =>
      y
        .option('port', {
          type: 'number',
          describe: 'Loopback port (default: config local.port; 0 = a free one)',
        })
        .option('storage', {
          choices: ['disk', 'memory'] as const,
          describe: 'Keep data on disk (default) or in memory only',
        })
        .example('$0 local start', 'one engine for the session; data kept in .ddbm/data')
        .example('$0 local start --storage memory', 'faster writes; nothing outlives the engine'),
    handler: async (argv) => {
      const { localStart } = await import('../../api/local.js')
      const status = await localStart({
        ...projectOptions(argv),
        ...(argv.port === undefined ? {} : { port: argv.port }),
        ...(argv.storage === undefined ? {} : { storage: argv.storage }),
        emit: reporter.emit,
      })
      reporter.result(status, (style) => renderLocalStatus(status, style))
    },
  })
}
