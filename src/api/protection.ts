import { DdbmError } from '../errors.js'
import type { Session } from './session.js'

/** How a destructive command on a protected environment is confirmed. */
export type ConfirmOptions = {
  /** The environment's name, confirming its destructive steps (`--confirm-env NAME` in CI). */
  confirmEnv?: string
  /** Asked on a terminal when `confirmEnv` is not given; answers what the user typed. */
  confirm?: (question: string) => Promise<string>
}

/**
 * Refuses `steps` (the destructive steps `command` is about to take, one text each) on a protected
 * environment unless confirmed by naming that environment. Throws PROTECTED_ENV before any mutating call.
 */
export async function guardDestructive(
  session: Session,
  what: { command: string; steps: readonly string[] },
  opts: ConfirmOptions,
): Promise<void> {
  const env = session.env.name
  if (!session.env.protected || what.steps.length === 0) return
  if (opts.confirmEnv === env) return
  const list = what.steps.join('\n  ')
  if (opts.confirmEnv === undefined && opts.confirm !== undefined) {
    const typed = await opts.confirm(
      `Environment "${env}" is protected. ${what.command} will:\n  ${list}\nType the environment's name to continue:`,
    )
    if (typed.trim() === env) return
  }
  throw new DdbmError(
    'PROTECTED_ENV',
    `Refusing ${what.command} on protected environment "${env}":\n  ${list}`,
    { env, steps: [...what.steps] },
  )
}
