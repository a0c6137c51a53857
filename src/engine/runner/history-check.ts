import { DdbmError } from '../../errors.js'
import { checkHistory, type HistoryFile, type StatusRow } from '../../plan/history.js'
import type { MetaStore, MigrationRecord } from '../meta/meta-store.js'

/** The records, without creating anything: no meta table yet means nothing applied. */
export async function readRecordsIfAny(store: MetaStore): Promise<MigrationRecord[]> {
  if (!(await store.exists())) return []
  return store.readRecords()
}

/**
 * Merges files and records into status rows; throws the history problems (an applied migration whose file
 * changed or is gone, a new one sorting before the last applied one) as one DdbmError with the code of the
 * first, every message and `details.problems`.
 */
export function checkedRows(
  migrations: readonly HistoryFile[],
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
