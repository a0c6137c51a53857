import type { CommandModule } from 'yargs'
import type { GlobalArgs } from '../global-options.js'
import type { Reporter } from '../reporter.js'
import { dbPullCommand } from './db-pull.js'
import { localCommand } from './local.js'
import {
  migrateCreateCommand,
  migrateResolveCommand,
  migrateStatusCommand,
  migrateUnlockCommand,
} from './migrate-admin.js'
import { migrateDownCommand } from './migrate-down.js'
import { migrateGenerateCommand } from './migrate-generate.js'
import { migrateUpCommand } from './migrate-up.js'
import { plannedCommands, plannedLeaves } from './planned.js'
import { validateCommand } from './validate.js'
import { verifyCommand } from './verify.js'

function group(
  name: 'migrate' | 'db',
  describe: string,
  leaves: CommandModule<GlobalArgs, GlobalArgs>[],
): CommandModule<GlobalArgs, GlobalArgs> {
  return {
    command: `${name} <command>`,
    describe,
    builder: (y) => leaves.reduce((acc, leaf) => acc.command(leaf), y),
    handler: () => {},
  }
}

/** Every command, registered explicitly (no commandDir: yargs#2152). */
export function commands(reporter: Reporter): CommandModule<GlobalArgs, GlobalArgs>[] {
  return [
    validateCommand(reporter),
    group('migrate', 'Apply, roll back and inspect migrations', [
      migrateUpCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
      migrateDownCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
      migrateStatusCommand(reporter),
      migrateCreateCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
      migrateGenerateCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
      migrateUnlockCommand(reporter),
      migrateResolveCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
    ]),
    verifyCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
    ...plannedCommands(),
    group('db', 'Pull live tables into schemas/, or reset an environment', [
      dbPullCommand(reporter) as unknown as CommandModule<GlobalArgs, GlobalArgs>,
      ...plannedLeaves('db'),
    ]),
    localCommand(reporter),
  ]
}
