import type { MigrateOptions } from '../api/index.js'
import { confirmOptions, type ConfirmEnvArgs } from './confirm.js'
import { parseDuration } from './duration.js'
import { sessionOptions, type GlobalArgs } from './global-options.js'
import type { Reporter } from './reporter.js'

/** Flags `migrate up` and `migrate down` share. */
export type MigrateArgs = GlobalArgs &
  ConfirmEnvArgs & {
    to: string | undefined
    step: number | undefined
    'dry-run': boolean
    'lock-timeout': string | undefined
  }

/**
 * The api options of `migrate up` / `down` from their flags: session, range, the confirmation of a
 * protected environment (`--confirm-env`, else a prompt on a terminal; `--yes` only shows in the
 * refusal), lock wait.
 */
export function migrateOptions(argv: MigrateArgs, reporter: Reporter): MigrateOptions {
  return {
    ...sessionOptions(argv),
    emit: reporter.emit,
    ...reporter.interruptible(),
    ...(argv.to === undefined ? {} : { to: argv.to === '0' ? 0 : argv.to }),
    ...(argv.step === undefined ? {} : { step: argv.step }),
    dryRun: argv['dry-run'],
    yes: argv.yes,
    ...confirmOptions(argv),
    ...(argv['lock-timeout'] === undefined
      ? {}
      : { lockTimeoutMs: parseDuration(argv['lock-timeout'], '--lock-timeout') }),
  }
}
