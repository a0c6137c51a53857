import { compareTable, type Check } from './compare.js'
import { diff } from './diff.js'
import type { LiveTable } from './live-table.js'
import type { TableStates } from './table-state.js'

/**
 * Why live tables drift from schemas/, as far as migrations/ and the meta table tell:
 * - `schemas-ahead`: schemas/ differs from what migrations/ build: a migration is still to be generated;
 * - `migrations-pending`: schemas/ is what migrations/ build, and every drift is a change that the
 *   migrations not applied yet (`pending`) make;
 * - `changed-outside`: schemas/ is what migrations/ build, and the drifts in `outside` are not explained
 *   by pending migrations (none pending, or they change something else): the tables were changed by hand
 *   or by another tool. `explained` lists the drifts that pending migrations do explain, if any.
 * `pending` names the migrations not applied (pending, failed or interrupted), in order.
 */
export type DriftCause =
  | { reason: 'schemas-ahead'; pending: string[] }
  | { reason: 'migrations-pending'; pending: string[] }
  | { reason: 'changed-outside'; pending: string[]; outside: Check[]; explained: Check[] }

/** What {@link driftCause} weighs. */
export type DriftInput = {
  /** schemas/: logical name → definition. */
  schemas: TableStates
  /** What every migration file builds (plan/replay.ts). */
  built: TableStates
  /** What the applied migrations build. */
  applied: TableStates
  /** Migrations not applied, in order. */
  pending: readonly string[]
  /** The drift checks verify found. */
  drifts: readonly Check[]
  /** The live table of each drifted logical table (undefined: it does not exist). */
  live: ReadonlyMap<string, LiveTable | undefined>
}

/**
 * Classifies drift (see {@link DriftCause}). A drift is explained by pending migrations when comparing its
 * live table with what the applied migrations build shows no drift of the same check: the live table is
 * where the applied migrations left it, and the pending ones change it. Pure.
 */
export function driftCause(input: DriftInput): DriftCause {
  const pending = [...input.pending]
  const planned = diff(input.built, input.schemas)
  if (planned.up.length > 0 || planned.problems.length > 0) {
    return { reason: 'schemas-ahead', pending }
  }
  const explained: Check[] = []
  const outside: Check[] = []
  for (const d of input.drifts) {
    const against = compareTable(d.table, input.applied[d.table], input.live.get(d.table))
    const still = against.some((c) => c.check === d.check && c.status === 'drift')
    if (pending.length > 0 && !still) explained.push(d)
    else outside.push(d)
  }
  if (outside.length === 0) return { reason: 'migrations-pending', pending }
  return { reason: 'changed-outside', pending, outside, explained }
}
