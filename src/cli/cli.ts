import yargs from 'yargs'
import { Parser } from 'yargs/helpers'
import { DdbmError } from '../errors.js'
import { VERSION } from '../version.js'
import { commands } from './commands/index.js'
import { globalOptions } from './global-options.js'
import { outputMode, Reporter, type OutputMode } from './reporter.js'

/**
 * The output mode and command words of `args` as yargs parses the global flags (`--json`, `--json=false`,
 * `--no-json`...), without the commands' own options: for the usage errors yargs raises before the
 * middleware sees the full parse.
 */
export function parseGlobalFlags(args: readonly string[]): { mode: OutputMode; command: string } {
  const argv = Parser([...args], { boolean: ['json', 'quiet', 'verbose', 'yes'] })
  return {
    mode: outputMode({
      json: argv.json === true,
      quiet: argv.quiet === true,
      verbose: argv.verbose === true,
    }),
    command: argv._.map(String).join(' '),
  }
}

/**
 * Builds the ddbm parser on `args`. A middleware sets the reporter's mode and command name from the parsed
 * arguments before yargs validates them, so a usage error (unknown command or option, conflicting flags)
 * is rendered as --json asked. The few usage errors yargs raises before any middleware (a missing
 * positional such as `migrate create` without a name) take them from `parseGlobalFlags`. Usage errors and
 * handler failures both reject `parseAsync`, so that `run` is the one place that decides exit codes (yargs
 * prints help on an async rejection unless .fail() is installed: yargs#2394).
 */
export function buildCli(reporter: Reporter, args: readonly string[]) {
  let parsed = false
  const cli = globalOptions(yargs([...args]))
    .scriptName('ddbm')
    .usage(
      '$0 <command> [options]\n\nSchema migrations, verification and seeding for Amazon DynamoDB.',
    )
    .version(VERSION)
    .alias('h', 'help')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command.')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .epilog(
      'Exit codes: 0 ok, 1 operation failed, 2 invalid input or config, 3 drift, 4 lock held.',
    )
    .middleware((argv) => {
      parsed = true
      reporter.mode = outputMode(argv)
      reporter.command = argv._.map(String).join(' ')
    }, true)
    .fail((message, err) => {
      if (!parsed) {
        const early = parseGlobalFlags(args)
        reporter.mode = early.mode
        reporter.command = early.command
      }
      if (err !== undefined && err !== null) throw err
      throw new DdbmError('USAGE', message ?? 'invalid usage')
    })
  for (const add of commands(reporter)) add(cli)
  return cli
}

/**
 * Runs the CLI on `args` (without `node` and the script) and returns the exit code; output goes to
 * `reporter`, which by default writes to the process's stdout and stderr.
 */
export async function run(args: readonly string[], reporter = new Reporter()): Promise<number> {
  try {
    await buildCli(reporter, args).parseAsync()
    return 0
  } catch (err) {
    return reporter.fatal(err)
  }
}
