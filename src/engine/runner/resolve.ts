import { randomUUID } from 'node:crypto'
import { DdbmError } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { HistoryFile } from '../../plan/history.js'
import type { AcquireLockOptions, MetaStore } from '../meta/meta-store.js'
import { withLock } from '../meta/with-lock.js'
import { migrationRecord } from './run-record.js'

export type ResolveOptions = {
  store: MetaStore
  /** migrations/, as loaded. */
  migrations: readonly Pick<HistoryFile, 'name' | 'checksum'>[]
  name: string
  as: 'applied' | 'rolled-back'
  lock: Omit<AcquireLockOptions, 'emit'>
  emit: Emit
  /** "user@host" or the CI job; recorded as "<who> (resolve --applied)". */
  appliedBy: string
  ddbmVersion: string
  /** Wall clock for the record's timestamps. Default Date.now. */
  now?: () => number
}

/**
 * `migrate resolve`: under the lock, marks migration `name` as applied (its changes are in place: the
 * record says `applied` with the file's checksum; a no-op when it already does) or rolled back (its
 * record is removed, so `up` runs it again). USAGE when rolling back a migration with no record, or
 * marking applied one with no file.
 */
export async function resolveMigration(
  opts: ResolveOptions,
): Promise<{ name: string; status: 'applied' | 'rolled-back' }> {
  const { store, name } = opts
  const now = opts.now ?? Date.now
  return withLock(store, { ...opts.lock, emit: opts.emit }, async (lease, records) => {
    const record = records.find((r) => r.name === name)
    const file = opts.migrations.find((m) => m.name === name)
    if (opts.as === 'rolled-back') {
      if (record === undefined) {
        throw new DdbmError('USAGE', `${name} has no record: there is nothing to roll back`)
      }
      await store.deleteRecord(name, lease)
      return { name, status: 'rolled-back' }
    }
    if (record?.status === 'applied' && record.checksum === file?.checksum) {
      return { name, status: 'applied' }
    }
    if (file === undefined) {
      throw new DdbmError('USAGE', `No migration file named ${name}`, undefined, {
        hint: 'Only a migration whose file exists can be marked applied.',
      })
    }
    const at = new Date(now()).toISOString()
    const run = {
      runId: randomUUID(),
      appliedBy: `${opts.appliedBy} (resolve --applied)`,
      ddbmVersion: opts.ddbmVersion,
    }
    const fields = {
      status: 'applied',
      startedAt: record?.startedAt ?? at,
      finishedAt: at,
    } as const
    await store.putRecord(migrationRecord(file, run, fields), lease)
    return { name, status: 'applied' }
  })
}
