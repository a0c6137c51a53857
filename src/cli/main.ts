#!/usr/bin/env node
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { DdbmError } from '../errors.js'
import { VERSION } from '../version.js'
import { commands } from './commands/index.js'
import { globalOptions } from './global-options.js'
import { Reporter } from './reporter.js'

/**
 * Builds the ddbm parser. Usage errors and handler failures both reject `parseAsync`, so that `run` is the one
 * place that decides exit codes (yargs prints help on an async rejection unless .fail() is installed: yargs#2394).
 */
export function buildCli(reporter: Reporter, args: string[]) {
  const cli = globalOptions(yargs(args))
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
      reporter.command = argv._.map(String).join(' ')
    })
    .fail((message, err) => {
      if (err !== undefined && err !== null) throw err
      throw new DdbmError('USAGE', message ?? 'invalid usage')
    })
  for (const command of commands(reporter)) cli.command(command)
  return cli
}

/** Runs the CLI on `argv` and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const reporter = new Reporter({
    json: argv.includes('--json'),
    quiet: argv.includes('--quiet'),
    verbose: argv.includes('--verbose'),
  })
  try {
    await buildCli(reporter, argv).parseAsync()
    return 0
  } catch (err) {
    return reporter.fatal(err)
  }
}

// The SDK warns on every run that its releases after January 2027 need Node 22. ddbm pins its SDK version and
// targets Node 20 (DESIGN.md), so the warning tells the user nothing they can act on; --verbose keeps it.
if (!process.argv.includes('--verbose'))
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
process.exitCode = await run(hideBin(process.argv))
