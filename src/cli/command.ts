import type { Argv, CommandModule } from 'yargs'
import type { GlobalArgs } from './global-options.js'

/**
 * A command as the CLI registers it: adds itself to a parser that has the global options. Leaves with
 * different options are all `Command`s, so a group lists them without widening their argument types.
 */
export type Command = (y: Argv<GlobalArgs>) => Argv<GlobalArgs>

/**
 * A leaf command (`verify`, `migrate up`...). `A`, the arguments its handler reads, is inferred from the
 * builder's `.option()` / `.positional()` chain; without a builder the handler reads the global options.
 */
export function leaf<A = GlobalArgs>(module: CommandModule<GlobalArgs, A>): Command {
  return (y) => y.command(module)
}

/** A group (`migrate <command>`): its leaves, and no handler of its own (yargs demands a subcommand). */
export function group(name: string, describe: string, leaves: readonly Command[]): Command {
  return leaf({
    command: `${name} <command>`,
    describe,
    builder: (y) => leaves.reduce((parser, add) => add(parser), y),
    handler: () => {},
  })
}
