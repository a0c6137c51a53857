import yargs from 'yargs'
import { Parser } from 'yargs/helpers'
import { VERSION } from '../version.js'
import { commands } from './commands/index.js'
import { globalOptions } from './global-options.js'
import { HelpRequested, helpWidth, NAME_A_COMMAND, tidyHelp, usageFailure } from './help.js'
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
 * prints help on an async rejection unless .fail() is installed: yargs#2394). Arguments that name no
 * command (bare `ddbm`, `ddbm migrate`) reject with HelpRequested carrying that level's help (see
 * usageFailure). Help is wrapped to `width` columns.
 */
export function buildCli(reporter: Reporter, args: readonly string[], width = defaultWidth()) {
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
    .demandCommand(1, NAME_A_COMMAND)
    .wrap(width)
    .epilog(
      'Exit codes: 0 ok, 1 operation failed, 2 invalid input or config, 3 drift, 4 lock held.',
    )
    .middleware((argv) => {
      parsed = true
      reporter.mode = outputMode(argv)
      reporter.command = argv._.map(String).join(' ')
    }, true)
    .fail((message, err, level) => {
      const early = parseGlobalFlags(args)
      if (!parsed) {
        reporter.mode = early.mode
        reporter.command = early.command
      }
      if (err !== undefined && err !== null) throw err
      let help = ''
      level.showHelp((text) => (help = tidyHelp(text, width)))
      const words = early.command === '' ? [] : early.command.split(' ')
      throw usageFailure(message ?? 'invalid usage', { args, words }, help, reporter.mode.json)
    })
  for (const add of commands(reporter)) add(cli)
  return cli
}

/**
 * Runs the CLI on `args` (without `node` and the script) and returns the exit code; output goes to
 * `reporter`, which by default writes to the process's stdout and stderr. What yargs prints itself (help,
 * the version, completions) is collected through a parse callback, so yargs never exits the process, and
 * written to the reporter's stdout; help is tidied first (tidyHelp). Bare `ddbm` and a group without a
 * subcommand print their help and exit 0 (with --json they stay a USAGE error, exit 2).
 */
export async function run(
  args: readonly string[],
  reporter = new Reporter(),
  width = defaultWidth(),
): Promise<number> {
  let printed = ''
  try {
    await buildCli(reporter, args, width).parseAsync([...args], {}, (_err, _argv, output) => {
      if (output !== '') printed = output
    })
    if (printed !== '') reporter.help(tidyHelp(printed, width))
    return 0
  } catch (err) {
    if (err instanceof HelpRequested) {
      reporter.help(err.text)
      return 0
    }
    return reporter.fatal(err)
  }
}

function defaultWidth(): number {
  return helpWidth(process.stdout.columns)
}
