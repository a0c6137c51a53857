import type { Argv } from 'yargs'
import { DdbmError } from '../../errors.js'
import { leaf, type Command } from '../command.js'
import type { GlobalArgs } from '../global-options.js'

type Planned = {
  command: string
  describe: string
  builder?: (y: Argv<GlobalArgs>) => Argv<GlobalArgs>
}

/**
 * Commands of the command-line contract (README "Command line") that later issues build. They show in --help with their options and
 * answer NOT_IMPLEMENTED (exit 1) until then; each moves to a file of its own when it lands.
 */
const PLANNED: Record<string, Planned[]> = {
  db: [
    {
      command: 'reset',
      describe: 'Drop the environment, migrate up and seed (refused on protected envs)',
    },
  ],
  '': [],
}

function stub(p: Planned, group: string): Command {
  const full = `${group === '' ? '' : `${group} `}${p.command.split(' ')[0]}`
  return leaf({
    command: p.command,
    describe: p.describe,
    builder: p.builder ?? ((y) => y),
    handler: () => {
      throw new DdbmError('NOT_IMPLEMENTED', `\`ddbm ${full}\` is not implemented yet`)
    },
  })
}

/** The top-level planned commands, and the planned leaves of a group (`migrate`, `db`). */
export const plannedCommands = (): Command[] => (PLANNED[''] ?? []).map((p) => stub(p, ''))
export const plannedLeaves = (group: 'db'): Command[] =>
  (PLANNED[group] ?? []).map((p) => stub(p, group))
