import { DdbmError } from '../errors.js'
import type { StatusRow } from './history.js'

/**
 * The migrations `up` runs, in order: every one not applied (pending, failed, interrupted, or left running by
 * a run that died: its steps converge, so running it again is safe), up to and including `to`, at most
 * `step`.
 */
export function selectUp(
  rows: readonly StatusRow[],
  opts: { to?: string; step?: number },
): string[] {
  let names = rows.filter((r) => r.state !== 'applied' && r.state !== 'missing').map((r) => r.name)
  if (opts.to !== undefined) {
    const to = opts.to
    if (!rows.some((r) => r.name === to)) throw unknownMigration(to, rows)
    names = names.filter((n) => n <= to)
  }
  return opts.step === undefined ? names : names.slice(0, opts.step)
}

/**
 * The migrations `down` reverts, newest first: by default the last applied one; `to: 0` all of them;
 * `to: NAME` that one and every applied one after it (umzug's meaning); `step: N` the last N.
 */
export function selectDown(
  rows: readonly StatusRow[],
  opts: { to?: string | 0; step?: number },
): string[] {
  const applied = rows
    .filter((r) => ['applied', 'failed', 'interrupted', 'running'].includes(r.state))
    .map((r) => r.name)
    .reverse()
  if (opts.to === 0 || opts.to === '0') return applied
  if (opts.to !== undefined) {
    const to = opts.to
    if (!rows.some((r) => r.name === to)) throw unknownMigration(to, rows)
    return applied.filter((n) => n >= to)
  }
  return applied.slice(0, opts.step ?? 1)
}

function unknownMigration(name: string, rows: readonly StatusRow[]): DdbmError {
  return new DdbmError(
    'USAGE',
    `No migration named "${name}"`,
    { name },
    {
      hint: `Use a name from \`ddbm migrate status\`: ${rows.map((r) => r.name).join(', ') || '(none)'}`,
    },
  )
}
