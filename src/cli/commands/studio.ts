import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import { positiveInt } from '../numbers.js'
import type { Reporter } from '../reporter.js'
import type { StudioStarted } from '../../api/studio.js'

/**
 * `ddbm studio [--port N] [--allow-writes]`: serves the studio on 127.0.0.1 and prints its URL (with
 * --json, the document `{ url, port, env, allowWrites }` once listening), then runs until Ctrl-C or
 * SIGTERM, which close the server and the session and exit 0.
 */
export function studioCommand(reporter: Reporter): Command {
  return leaf({
    command: 'studio',
    describe: 'Serve a local page: migrations, tables, drift and items of the environment',
    builder: (y) =>
      y
        .option('port', {
          type: 'number',
          describe: 'Port on 127.0.0.1 (default: a free one)',
        })
        .option('allow-writes', {
          type: 'boolean',
          default: false,
          describe: 'Allow editing and deleting items (always allowed on the embedded engine)',
        })
        .example('$0 studio', 'the local environment; open the printed URL')
        .example('$0 studio --env prod', 'prod, read-only'),
    handler: async (argv) => {
      const { startStudio } = await import('../../api/studio.js')
      // Ctrl-C is how the studio ends: it closes the server, then the session, as a finished command
      // does (an engine it started is left idle), so the signal is not handed to the session.
      const { signal } = reporter.interruptible()
      const studio = await startStudio({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...(argv.port === undefined ? {} : { port: positiveInt(argv.port, '--port', 0) }),
        allowWrites: argv['allow-writes'],
      })
      try {
        const result: StudioStarted = {
          url: studio.url,
          port: studio.port,
          env: studio.env,
          allowWrites: studio.allowWrites,
        }
        if (reporter.mode.json) reporter.result(result)
        else {
          const writes = studio.allowWrites ? 'item writes allowed' : 'read-only'
          reporter.help(`studio: ${studio.url}\n(${studio.env}, ${writes}; Ctrl-C to stop)`)
        }
        await new Promise<void>((resolve) => {
          if (signal === undefined) return
          if (signal.aborted) resolve()
          else signal.addEventListener('abort', () => resolve(), { once: true })
        })
      } finally {
        await studio.close()
      }
    },
  })
}
