import { leaf, type Command } from '../command.js'
import { confirmEnvOption, confirmOptions } from '../confirm.js'
import { sessionOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'
import { renderSeed } from '../render-seed.js'

/** `ddbm seed [--table T] [--count N] [--seed N] [--clear] [--concurrency N] [--dry-run] [--confirm-env ENV]`. */
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
        .example('$0 seed', 'seed every table of seeds/ in the default environment')
        .example('$0 seed --table Orders --clear', 'empty the Orders table, then seed it again')
        .example('$0 seed --env prod --confirm-env prod', 'seed a protected environment'),
    handler: async (argv) => {
      const { seed } = await import('../../api/seed.js')
      const result = await seed({
        ...sessionOptions(argv),
        emit: reporter.emit,
        ...reporter.interruptible(),
        yes: argv.yes,
        ...confirmOptions(argv),
        seed: argv.seed,
        clear: argv.clear,
        dryRun: argv['dry-run'],
        ...(argv.table === undefined ? {} : { table: argv.table }),
        ...(argv.count === undefined ? {} : { count: argv.count }),
        ...(argv.concurrency === undefined ? {} : { concurrency: argv.concurrency }),
      })
      reporter.result(result, (style) => renderSeed(result, style))
    },
  })
}
