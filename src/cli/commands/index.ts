import { group, type Command } from '../command.js'
import type { Reporter } from '../reporter.js'
import { completionCommand } from './completion.js'
import { dbPullCommand } from './db-pull.js'
import { dbResetCommand } from './db-reset.js'
import { initCommand } from './init.js'
import { localStartCommand } from './local-start.js'
import { localStatusCommand } from './local-status.js'
import { localStopCommand } from './local-stop.js'
import { migrateCreateCommand } from './migrate-create.js'
import { migrateDownCommand } from './migrate-down.js'
import { migrateGenerateCommand } from './migrate-generate.js'
import { migrateResolveCommand } from './migrate-resolve.js'
import { migrateStatusCommand } from './migrate-status.js'
import { migrateUnlockCommand } from './migrate-unlock.js'
import { migrateUpCommand } from './migrate-up.js'
import { migrateWorkerCommand } from './migrate-worker.js'
import { seedCommand } from './seed.js'
import { studioCommand } from './studio.js'
import { validateCommand } from './validate.js'
import { verifyCommand } from './verify.js'

/** Every command, leaves grouped under `migrate`, `db` and `local`, in --help order (no commandDir: yargs#2152). */
export function commands(reporter: Reporter): Command[] {
  return [
    validateCommand(reporter),
    group('migrate', 'Apply, roll back and inspect migrations', [
      migrateUpCommand(reporter),
      migrateDownCommand(reporter),
      migrateStatusCommand(reporter),
      migrateCreateCommand(reporter),
      migrateGenerateCommand(reporter),
      migrateUnlockCommand(reporter),
      migrateResolveCommand(reporter),
      migrateWorkerCommand(reporter),
    ]),
    verifyCommand(reporter),
    seedCommand(reporter),
    initCommand(reporter),
    group('db', 'Pull live tables into schemas/, or reset an environment', [
      dbPullCommand(reporter),
      dbResetCommand(reporter),
    ]),
    studioCommand(reporter),
    group('local', 'Run the embedded DynamoDB Local (needs Java 17+)', [
      localStartCommand(reporter),
      localStopCommand(reporter),
      localStatusCommand(reporter),
    ]),
    completionCommand(),
  ]
}
