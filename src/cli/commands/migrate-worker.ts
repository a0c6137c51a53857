import { leaf, type Command } from '../command.js'
import { parseDuration } from '../duration.js'
import { sessionOptions } from '../global-options.js'
import { positiveInt } from '../numbers.js'
import { renderWorker } from '../render-worker.js'
import type { Reporter } from '../reporter.js'
import { workerSlot } from '../worker-slot.js'

/** `ddbm migrate worker [--concurrency N] [--worker-index I] [--workers N] [--wait DURATION]`. */
export function migrateWorkerCommand(reporter: Reporter): Command {
  return leaf({
    command: 'worker',
    describe: 'Join the backfills a `migrate up` run is running (one of many parallel jobs)',
    builder: (y) =>
      y
        .option('concurrency', {
          type: 'number',
          describe: 'Segments this worker works on at once (default: the backfill’s concurrency)',
        })
        .option('worker-index', {
          type: 'number',
          describe:
            'This worker’s index from 0 (default: JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)',
        })
        .option('workers', {
          type: 'number',
          describe: 'How many workers run: with the index, each prefers its own share of segments',
        })
        .option('wait', {
          type: 'string',
          default: '10m',
          describe: 'How long to wait for a backfill to join (and for the next one)',
        })
        .example(
          '$0 migrate worker --env prod',
          'join the running backfill of prod until it is done',
        )
        .example(
          '$0 migrate worker --worker-index 2 --workers 8',
          'worker 2 of 8 (a GitHub Actions matrix job)',
        ),
    handler: async (argv) => {
      const { migrateWorker } = await import('../../api/worker.js')
      const slot = workerSlot({ index: argv['worker-index'], count: argv.workers }, process.env)
      const result = await migrateWorker({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...reporter.interruptible(),
        waitMs: parseDuration(argv.wait, '--wait'),
        ...(slot === undefined ? {} : { slot }),
        ...(argv.concurrency === undefined
          ? {}
          : { concurrency: positiveInt(argv.concurrency, '--concurrency') }),
      })
      reporter.result(result, () => renderWorker(result))
    },
  })
}
