import type { HistoryFile } from '../../plan/history.js'
import type { MigrationRecord } from '../meta/meta-store.js'

/** What every record written by one run (or one `resolve`) shares. */
export type RunInfo = {
  /** Random id of the run. */
  runId: string
  /** "user@host", or the CI job. */
  appliedBy: string
  ddbmVersion: string
}

/** The fields of a record that change along a migration's run. */
export type RecordFields = Pick<MigrationRecord, 'status' | 'startedAt'> &
  Partial<Pick<MigrationRecord, 'finishedAt' | 'durationMs' | 'error' | 'backups'>>

/**
 * The record of migration `m` (its name and the checksum of its file) written by `run`: the one place a
 * record is made, for the runner and for `migrate resolve`. Fields left undefined (and no backups) are
 * absent.
 */
export function migrationRecord(
  m: Pick<HistoryFile, 'name' | 'checksum'>,
  run: RunInfo,
  fields: RecordFields,
): MigrationRecord {
  const record: MigrationRecord = {
    name: m.name,
    checksum: m.checksum,
    status: fields.status,
    startedAt: fields.startedAt,
    appliedBy: run.appliedBy,
    ddbmVersion: run.ddbmVersion,
    runId: run.runId,
  }
  if (fields.finishedAt !== undefined) record.finishedAt = fields.finishedAt
  if (fields.durationMs !== undefined) record.durationMs = fields.durationMs
  if (fields.error !== undefined) record.error = fields.error
  if (fields.backups !== undefined && fields.backups.length > 0)
    record.backups = [...fields.backups]
  return record
}
