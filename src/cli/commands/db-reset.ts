import { leaf, type Command } from '../command.js'
import { confirmEnvOption, confirmOptions } from '../confirm.js'
import { parseDuration } from '../duration.js'
import { sessionOptions } from '../global-options.js'
import { renderReset } from '../render-reset.js'
import type { Reporter } from '../reporter.js'

/**
 * `ddbm db reset [--seed N] [--count N] [--concurrency N] [--confirm-env NAME] [--lock-timeout DURATION]`:
 * deletes the environment's tables of schemas/ and its meta table, migrates up, seeds and verifies
 * (docs/db-reset.md). Exit 3 on drift, 2 when a protected environment is not confirmed.
 */
export function dbResetCommand(reporter: Reporter): Command {
  return leaf({
    command: 'reset',
    describe:
      "Delete the environment's tables and meta table, migrate up, seed and verify (one command for CI)",
    builder: (y) =>
      confirmEnvOption(
        y
          .option('seed', {
            type: 'number',
            default: 1,
            describe: 'Seed number: the same number writes byte-identical items',
          })
          .option('count', {
            type: 'number',
            describe: "Items per generated seed (default: the seed's count for the environment)",
          })
          .option('concurrency', {
            type: 'number',
            describe:
              'BatchWriteItem requests in flight while seeding (default chosen by measurement)',
          })
          .option('lock-timeout', {
            type: 'string',
            describe: 'How long to wait for another run’s lock (default 15m)',
          }),
      )
        .example('$0 db reset', 'start the default environment over: empty, migrated, seeded')
        .example('$0 db reset --env ci --json', 'the same in CI, one JSON document on stdout'),
    handler: async (argv) => {
      const { reset } = await import('../../api/reset.js')
      const result = await reset({
        ...sessionOptions(argv),
        ...confirmOptions(argv),
        emit: reporter.emit,
        ...reporter.interruptible(),
        seed: argv.seed,
        ...(argv.count === undefined ? {} : { count: argv.count }),
        ...(argv.concurrency === undefined ? {} : { concurrency: argv.concurrency }),
        ...(argv['lock-timeout'] === undefined
          ? {}
          : { lockTimeoutMs: parseDuration(argv['lock-timeout'], '--lock-timeout') }),
      })
      reporter.result(result, renderReset(result))
    },
  })
}
