/** A migration file as the history check sees it. */
export type HistoryFile = { name: string; file: string; checksum: string }

/** An on-demand backup taken before a confirmed deletion (docs/protected-environments.md). */
export type BackupRecord = {
  /** Physical table name. */
  table: string
  arn: string
  /** The deletion it was taken before. */
  op: 'deleteTable' | 'deleteGsi'
  /** The GSI deleted, for deleteGsi. */
  index?: string
}

/** What the meta table says of a migration (display fields are for messages only). */
export type HistoryRecord = {
  name: string
  /** sha256 of the migration file when it ran. */
  checksum: string
  /**
   * running: started and not finished (a crash leaves it so); failed: `error` says why; interrupted:
   * stopped at a safe point by an interrupt (SIGINT, SIGTERM), `error` says where. `up` runs a failed,
   * interrupted or running migration again: its steps converge.
   */
  status: 'running' | 'applied' | 'failed' | 'interrupted'
  /** ISO timestamps of the run's own clock: for display only. */
  startedAt: string
  finishedAt?: string
  durationMs?: number
  /** "user@host pid N", or the CI job. */
  appliedBy: string
  error?: string
  /** Backups taken before the migration's deletions, in order. */
  backups?: BackupRecord[]
}

/** The state of one migration, as `ddbm migrate status` shows it. */
export type MigrationState =
  'applied' | 'pending' | 'failed' | 'interrupted' | 'running' | 'changed' | 'missing'

export type StatusRow = {
  name: string
  file?: string
  state: MigrationState
  appliedAt?: string
  appliedBy?: string
  durationMs?: number
  error?: string
  backups?: BackupRecord[]
}

/** A history problem that refuses any change (exit 1), with the evidence. */
export type HistoryProblem = {
  code: 'MIGRATION_CHANGED' | 'MIGRATION_MISSING' | 'MIGRATION_ORDER'
  name: string
  message: string
  hint: string
}

/**
 * Compares the files with the records, before any up or down (kysely's "corrupted migrations" checks):
 * an applied migration whose file changed; a recorded migration whose file is gone; a new migration whose
 * name sorts before the last applied one. A failed migration's file may change: that is how it is fixed.
 * Pure: returns the status rows (files and records merged, sorted by name) and the problems.
 */
export function checkHistory(
  files: readonly HistoryFile[],
  records: readonly HistoryRecord[],
): { rows: StatusRow[]; problems: HistoryProblem[] } {
  const byName = new Map(records.map((r) => [r.name, r]))
  const fileNames = new Set(files.map((f) => f.name))
  const lastApplied = records
    .filter((r) => r.status === 'applied')
    .map((r) => r.name)
    .sort()
    .at(-1)
  const rows: StatusRow[] = []
  const problems: HistoryProblem[] = []
  for (const f of files) {
    const r = byName.get(f.name)
    if (r === undefined) {
      rows.push({ name: f.name, file: f.file, state: 'pending' })
      if (lastApplied !== undefined && f.name < lastApplied) {
        problems.push({
          code: 'MIGRATION_ORDER',
          name: f.name,
          message: `${f.file} is new, but sorts before ${lastApplied}, which is already applied`,
          hint: 'renumber it after the last applied migration (`ddbm migrate create` picks the next number)',
        })
      }
      continue
    }
    const changed = r.status === 'applied' && r.checksum !== f.checksum
    rows.push({ ...rowOf(r), file: f.file, state: changed ? 'changed' : r.status })
    if (changed) {
      problems.push({
        code: 'MIGRATION_CHANGED',
        name: f.name,
        message: `${f.file} was applied ${r.finishedAt ?? r.startedAt} by ${r.appliedBy} with checksum ${short(r.checksum)}; the file now hashes to ${short(f.checksum)}`,
        hint: `applied migrations are immutable; restore the file (git checkout -- ${f.file}) and add a new migration instead`,
      })
    }
  }
  for (const r of records) {
    if (fileNames.has(r.name)) continue
    rows.push({ ...rowOf(r), state: 'missing' })
    problems.push({
      code: 'MIGRATION_MISSING',
      name: r.name,
      message: `${r.name} is recorded as ${r.status} (${r.finishedAt ?? r.startedAt}, by ${r.appliedBy}) but its file is gone`,
      hint: `restore the file from git; if its changes were really undone, run \`ddbm migrate resolve ${r.name} --rolled-back\``,
    })
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { rows, problems }
}

function rowOf(r: HistoryRecord): Omit<StatusRow, 'state'> {
  return {
    name: r.name,
    appliedAt: r.finishedAt ?? r.startedAt,
    appliedBy: r.appliedBy,
    ...(r.durationMs === undefined ? {} : { durationMs: r.durationMs }),
    ...(r.error === undefined ? {} : { error: r.error }),
    ...(r.backups === undefined ? {} : { backups: r.backups }),
  }
}

function short(checksum: string): string {
  return `${checksum.slice(0, 12)}…`
}
