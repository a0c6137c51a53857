import { leaf, type Command } from '../command.js'
import { confirmEnvOption, confirmOptions } from '../confirm.js'
import { sessionOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'
import { renderSeed } from '../render-seed.js'

/**
 * `ddbm seed [--table T] [--count N] [--seed N] [--clear] [--concurrency N] [--dry-run] [--shard I/N]
 * [--verify-only] [--confirm-env ENV]`.
 */
export function seedCommand(reporter: Reporter): Command {
  return leaf({
    command: 'seed',
    describe:
      'Write reproducible fake data (seeds/) to the tables, then verify it (exit 3 on drift)',
    builder: (y) =>
      confirmEnvOption(y)
        .option('table', { type: 'string', describe: 'Only the seeds of this logical table' })
        .option('count', {
          type: 'number',
          describe: "Items per generated seed (default: the seed's count for the environment)",
        })
        .option('seed', {
          type: 'number',
          default: 1,
          describe: 'Seed number: the same number writes byte-identical items',
        })
        .option('clear', {
          type: 'boolean',
          default: false,
          describe: "Delete the tables' items first (not the tables)",
        })
        .option('concurrency', {
          type: 'number',
          describe: 'BatchWriteItem requests in flight (default chosen by measurement)',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Generate and check the items, print a sample and the counts; write nothing',
        })
        .option('shard', {
          type: 'string',
          describe:
            "Write only runner I of N's share of each seed (e.g. 2/3); no verification: run --verify-only once after all shards",
        })
        .option('verify-only', {
          type: 'boolean',
          default: false,
          describe:
            "Write nothing: check the items, then hold the tables to the post-seed checks (exactly the seed's items)",
        })
        .example('$0 seed', 'seed every table of seeds/ in the default environment')
        .example('$0 seed --table Orders --clear', 'empty the Orders table, then seed it again')
        .example(
          '$0 seed --env ci --shard 2/3',
          'runner 2 of 3 writes its third of each seed; `ddbm seed --env ci --verify-only` once after all 3',
        ),
    handler: async (argv) => {
      const { seed, parseShard } = await import('../../api/seed.js')
      const shard = argv.shard === undefined ? undefined : parseShard(argv.shard)
      const result = await seed({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...reporter.interruptible(),
        yes: argv.yes,
        ...confirmOptions(argv),
        seed: argv.seed,
        clear: argv.clear,
        dryRun: argv['dry-run'],
        verifyOnly: argv['verify-only'],
        ...(shard === undefined ? {} : { shard }),
        ...(argv.table === undefined ? {} : { table: argv.table }),
        ...(argv.count === undefined ? {} : { count: argv.count }),
        ...(argv.concurrency === undefined ? {} : { concurrency: argv.concurrency }),
      })
      reporter.result(result, (style) => renderSeed(result, style))
    },
  })
}
