import { randomUUID } from 'node:crypto'
import { hostname, userInfo } from 'node:os'
import { ensureMetaTable } from '../engine/meta/meta-table.js'
import { metaTableExists } from '../engine/meta/meta-table.js'
import { DdbmError } from '../errors.js'
import { acquireLock, DEFAULT_LOCK_WAIT_MS, type Lease } from '../engine/meta/lock.js'
import { readRecords, type MigrationRecord } from '../engine/meta/records.js'
import { checkHistory, type StatusRow } from '../plan/history.js'
import { replay } from '../plan/replay.js'
import { loadMigrations, type LoadedMigration } from '../schema/load-migrations.js'
import type { Session } from './session.js'

/** The test-only switch that runs without the lock, so the concurrency test has a negative control. */
export const UNSAFE_NO_LOCK_ENV = 'DDBM_TEST_DISABLE_LOCK'

/**
 * Loads migrations/ and checks it before any change: first the history against the records (read-only: an
 * edited, missing or out-of-order migration is refused with its evidence), then the files offline (names,
 * numbering, shapes, replay: MIGRATION_INVALID lists every problem). Returns the migrations and records.
 */
export async function loadChecked(
  session: Session,
): Promise<{ migrations: LoadedMigration[]; records: MigrationRecord[]; rows: StatusRow[] }> {
  const { project } = session
  const { migrations, issues } = await loadMigrations(project.migrationsDir, { root: project.root })
  const records = await readRecordsIfAny(session)
  const rows = checkedRows(migrations, records)
  const all = [...issues, ...replay(migrations).issues]
  if (all.length > 0) {
    throw new DdbmError('MIGRATION_INVALID', `${all.length} problem(s) in migrations/`, {
      issues: all,
    })
  }
  return { migrations, records, rows }
}

/** The records, without creating anything: no meta table yet means nothing applied. */
export async function readRecordsIfAny(session: Session): Promise<MigrationRecord[]> {
  if (!(await metaTableExists(session.client, session.env.metaTable))) return []
  return readRecords(session.client, session.env.metaTable)
}

/** Merges files and records; throws the history problems (changed, missing, out of order) with evidence. */
export function checkedRows(
  migrations: readonly LoadedMigration[],
  records: readonly MigrationRecord[],
): StatusRow[] {
  const { rows, problems } = checkHistory(migrations, records)
  const first = problems[0]
  if (first !== undefined) {
    const message = problems.map((p) => p.message).join('\n')
    throw new DdbmError(first.code, message, { problems }, { hint: first.hint })
  }
  return rows
}

/** "user@host", or the CI job when the environment names one (GitHub Actions, GitLab, generic). */
export function appliedBy(env: Record<string, string | undefined>): string {
  if (env.DDBM_APPLIED_BY) return env.DDBM_APPLIED_BY
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_RUN_ID) {
    return `github:${env.GITHUB_REPOSITORY ?? '?'}#${env.GITHUB_RUN_ID} (${env.GITHUB_ACTOR ?? '?'})`
  }
  if (env.GITLAB_CI === 'true' && env.CI_JOB_ID) {
    return `gitlab:${env.CI_PROJECT_PATH ?? '?'}#${env.CI_JOB_ID} (${env.GITLAB_USER_LOGIN ?? '?'})`
  }
  if (env.CI === 'true' && (env.BUILD_TAG || env.CI_JOB_NAME)) {
    return `ci:${env.BUILD_TAG ?? env.CI_JOB_NAME}`
  }
  let user = 'unknown'
  try {
    user = userInfo().username
  } catch {
    // no passwd entry (some containers)
  }
  return `${user}@${hostname()}`
}

/**
 * Creates the meta table if needed (race-safe), takes the lease lock (waiting up to `lockTimeoutMs`), runs
 * `fn` with the records read *after* getting the lock (a run that waited sees what the winner did), and
 * releases the lock in `finally`.
 */
export async function withLock<T>(
  session: Session,
  opts: { lockTimeoutMs?: number; processEnv: Record<string, string | undefined> },
  fn: (lease: Lease | undefined, records: MigrationRecord[], runId: string) => Promise<T>,
): Promise<T> {
  const { client, env, emit } = session
  await ensureMetaTable(client, env.metaTable)
  const runId = randomUUID()
  const unlocked = opts.processEnv[UNSAFE_NO_LOCK_ENV] === '1'
  const lease = unlocked
    ? undefined
    : await acquireLock({
        client,
        table: env.metaTable,
        holder: `${appliedBy(opts.processEnv)} pid ${process.pid}`,
        waitTimeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_WAIT_MS,
        leaseMs: env.lock.leaseMs,
        emit,
      })
  try {
    return await fn(lease, await readRecords(client, env.metaTable), runId)
  } finally {
    await lease?.release()
  }
}
