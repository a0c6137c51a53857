import type { EnvironmentRecord, MetaStore } from '../engine/meta/meta-store.js'
import { DdbmError } from '../errors.js'
import { metaStoreOf, type MetaStoreOption } from './migrate-shared.js'
import type { Session } from './session.js'

/** How a destructive command on a protected environment is confirmed (docs/protected-environments.md). */
export type ConfirmOptions = {
  /** The environment's name, confirming its destructive steps (`--confirm-env NAME` in CI). */
  confirmEnv?: string
  /** Asked on a terminal when `confirmEnv` is not given; answers what the user typed. */
  confirm?: (question: string) => Promise<string>
  /** The generic `--yes`: it never confirms destructive steps on a protected environment (the refusal says so). */
  yes?: boolean
}

/** The environment as its config and its meta table's identity record describe it. */
export type EnvironmentCheck = {
  /** The identity in the meta table; undefined before the first mutating command (or without a meta table). */
  stored: EnvironmentRecord | undefined
  /** Protected by the config or by the stored identity. */
  protected: boolean
  /** What protects it, the config first; absent when not protected. */
  protectedBy?: 'config' | 'meta-table'
}

/**
 * Reads the environment's identity from its meta table (creates nothing) and compares it with the
 * configured environment. A different stored name is ENV_MISMATCH (exit 2) for a `mutating` command, and
 * a warning for a `read-only` one (it changes nothing, and what it shows is still true of those tables).
 */
export async function checkEnvironment(
  session: Session,
  store: MetaStore,
  mode: 'mutating' | 'read-only',
): Promise<EnvironmentCheck> {
  const env = session.env.name
  const stored = await store.readEnvironment()
  if (stored !== undefined && stored.name !== env) {
    const text = `Meta table ${store.table} belongs to environment "${stored.name}" (recorded ${stored.createdAt} by ${stored.createdBy}), not "${env}"`
    if (mode === 'mutating') {
      throw new DdbmError(
        'ENV_MISMATCH',
        `${text}: the config's "${env}" points at the tables of "${stored.name}"`,
        { env, stored: stored.name, metaTable: store.table },
      )
    }
    session.emit({
      kind: 'log',
      level: 'warn',
      message: `${text}: what follows describes the tables of "${stored.name}"`,
    })
  }
  const byConfig = session.env.protected
  const byRecord = stored?.protected === true
  return {
    stored,
    protected: byConfig || byRecord,
    ...(byConfig ? { protectedBy: 'config' } : byRecord ? { protectedBy: 'meta-table' } : {}),
  }
}

/**
 * Refuses `steps` (the destructive steps `command` is about to take, one text each) on a protected
 * environment unless confirmed by naming that environment: `confirmEnv`, else the name typed at
 * `confirm`'s prompt. `yes` never confirms. Throws PROTECTED_ENV (exit 2) before any mutating call, and
 * ENV_MISMATCH first when the meta table belongs to another environment (`environment`: a check already
 * made, else one is made on `metaStore` or the environment's meta table). Returns the check.
 */
export async function guardDestructive(
  session: Session,
  what: { command: string; steps: readonly string[] },
  opts: ConfirmOptions & MetaStoreOption & { environment?: EnvironmentCheck },
): Promise<EnvironmentCheck> {
  const check =
    opts.environment ?? (await checkEnvironment(session, metaStoreOf(session, opts), 'mutating'))
  const env = session.env.name
  if (!check.protected || what.steps.length === 0) return check
  if (opts.confirmEnv === env) return check
  const list = what.steps.join('\n  ')
  const by = check.protectedBy === 'meta-table' ? 'by its meta table' : 'in ddbm.config.json'
  let why: string
  if (opts.confirmEnv !== undefined) {
    why = `--confirm-env names "${opts.confirmEnv}", not "${env}"`
  } else if (opts.confirm !== undefined) {
    const typed = await opts.confirm(
      `Environment "${env}" is protected (${by}). ${what.command} will:\n  ${list}\nType the environment's name to continue:`,
    )
    if (typed.trim() === env) return check
    why = `the name typed was not "${env}"`
  } else {
    why =
      opts.yes === true
        ? `--yes does not confirm them: name the environment with --confirm-env ${env}`
        : `confirm with --confirm-env ${env}`
  }
  throw new DdbmError(
    'PROTECTED_ENV',
    `Refusing ${what.command} on environment "${env}", protected ${by}:\n  ${list}\n${why}`,
    {
      env,
      steps: [...what.steps],
      protectedBy: check.protectedBy ?? 'config',
      ...(opts.confirmEnv === undefined ? {} : { confirmEnv: opts.confirmEnv }),
    },
  )
}

/**
 * Writes the environment's identity to `store` (whose table exists) unless it is stored already as it
 * should be: its name, and `protected` as `check` found it (a config that protects the environment
 * raises a stored `false`; nothing lowers it). ENV_MISMATCH when another run recorded another name first.
 */
export async function recordEnvironment(
  session: Session,
  store: MetaStore,
  check: EnvironmentCheck,
  createdBy: string,
): Promise<void> {
  const env = session.env.name
  const { stored } = check
  if (stored?.name === env && (stored.protected || !check.protected)) return
  const now = await store.recordEnvironment({
    name: env,
    protected: check.protected,
    createdAt: new Date().toISOString(),
    createdBy,
  })
  if (now.name !== env) {
    throw new DdbmError(
      'ENV_MISMATCH',
      `Meta table ${store.table} was just claimed by environment "${now.name}", not "${env}"`,
      { env, stored: now.name, metaTable: store.table },
    )
  }
}

/**
 * Whether confirmed table and GSI deletions are preceded by a backup: the config's `backups` when set,
 * else on exactly when the environment is protected (by its config or its meta table).
 */
export function backupsEnabled(session: Session, check: EnvironmentCheck): boolean {
  return session.env.backupsSet ? session.env.backups === 'before-destructive' : check.protected
}
