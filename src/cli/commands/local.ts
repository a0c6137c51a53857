import type { Argv, CommandModule } from 'yargs'
import { localStart, localStatus, localStop, type LocalStatus } from '../../api/local.js'
import type { GlobalArgs } from '../global-options.js'
import type { Reporter } from '../reporter.js'

type StartArgs = GlobalArgs & { port: number | undefined; storage: 'disk' | 'memory' | undefined }

/** `ddbm local start|stop|status`: the embedded DynamoDB Local of this project. */
export function localCommand(reporter: Reporter): CommandModule<GlobalArgs, GlobalArgs> {
  const project = (argv: GlobalArgs) => (argv.config === undefined ? {} : { config: argv.config })
  const start: CommandModule<GlobalArgs, StartArgs> = {
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
        }) as unknown as Argv<StartArgs>,
    handler: async (argv) => {
      const status = await localStart({
        ...project(argv),
        ...(argv.port === undefined ? {} : { port: argv.port }),
        ...(argv.storage === undefined ? {} : { storage: argv.storage }),
        emit: reporter.emit,
      })
      reporter.result(status, describeStatus(status))
    },
  }
  const stop: CommandModule<GlobalArgs, GlobalArgs> = {
    command: 'stop',
    describe: 'Stop the DynamoDB Local started by `ddbm local start`',
    handler: async (argv) => {
      const result = await localStop({ ...project(argv), emit: reporter.emit })
      reporter.result(result, result.stopped ? `stopped (pid ${result.pid})` : 'not running')
    },
  }
  const status: CommandModule<GlobalArgs, GlobalArgs> = {
    command: 'status',
    describe: 'Say whether DynamoDB Local runs, and on which port',
    handler: async (argv) => {
      const result = await localStatus(project(argv))
      reporter.result(result, describeStatus(result))
    },
  }
  return {
    command: 'local <command>',
    describe: 'Run the embedded DynamoDB Local (needs Java 17+)',
    builder: (y) => y.command(start).command(stop).command(status),
    handler: () => {},
  }
}

function describeStatus(s: LocalStatus): string {
  if (!s.running) return 'DynamoDB Local: not running'
  const data = s.storage === 'disk' ? `data in ${s.dataDir}` : 'in memory'
  return `DynamoDB Local: running at ${s.endpoint} (pid ${s.pid}, ${data}, since ${s.startedAt})`
}
