import { DdbmError } from '../errors.js'

/** An item or key as a plain JS object (the shape `ctx.scan` yields and `ctx.put` takes). */
export type Item = Record<string, unknown>

/** A condition on a backfill write: a ConditionExpression with its placeholders. */
export type Conditional = {
  /** Checked by DynamoDB on write; when false the item is left alone and counted as skipped. */
  condition?: string
  names?: Record<string, string>
  values?: Record<string, unknown>
}

/**
 * What a backfill's `transform` returns for one item: an update of that item (`set` / `remove`, or a raw
 * UpdateExpression in `expression`), a put of a whole item, a delete of that item, or nothing to do
 * (`'skip'`, `undefined` or `null`). Each write may carry a `condition`.
 */
export type BackfillAction =
  | ({
      update: { set?: Record<string, unknown>; remove?: readonly string[]; expression?: string }
    } & Conditional)
  | ({ put: Item } & Conditional)
  | ({ delete: true } & Conditional)
  | 'skip'
  | null
  | undefined
  | void

/**
 * The rate a backfill may use: absolute units per second (`readPerSec`, `writePerSec`; a missing one is
 * unlimited), or `fraction` (0 < f <= 1) of the table's capacity as DescribeTable (and autoscaling) report it.
 */
export type RateSpec = { readPerSec?: number; writePerSec?: number } | { fraction: number }

/**
 * One backfill of a `.ts` migration (docs/backfills.md): a parallel scan of `table` (or its `index`),
 * `transform` applied to every item that passes `filter`, the writes paced by `rate`, and a checkpoint per
 * segment in the meta table after every page, so a run that dies resumes where it stopped.
 */
export type BackfillSpec = {
  /** Names this backfill within its migration (its checkpoints are kept under it). Default `"backfill"`. */
  name?: string
  /** Logical table to scan and write. */
  table: string
  /** A global secondary index to scan instead of the table (writes still go to the table). */
  index?: string
  /** FilterExpression: only matching items reach `transform` (the scan still reads every item). */
  filter?: string
  names?: Record<string, string>
  values?: Record<string, unknown>
  /** Parallel scan segments (TotalSegments). Default 8. */
  segments?: number
  /** Segments this process works on at once. Default all of them (a worker: `--concurrency`). */
  concurrency?: number
  /** Read and write units per second for the whole backfill. Default unlimited. */
  rate?: RateSpec
  /** Items read per Scan page (its Limit); a checkpoint is written after each page. Default 500. */
  pageSize?: number
  /** Writes in flight per segment. Default 8. */
  writeConcurrency?: number
  /** A segment whose worker stops renewing for this long is taken over by another. Default 30. */
  leaseSeconds?: number
  /** Items read back afterwards to check that `transform` finds nothing left to do. Default 100; 0: none. */
  check?: number
  /**
   * The change for one item. It must converge (docs/backfills.md): applied to an item it already changed,
   * it returns `'skip'` or a write that changes nothing, because the items read since the last checkpoint
   * are processed again after a crash.
   */
  transform: (item: Item) => BackfillAction | Promise<BackfillAction>
}

/** A spec with its defaults filled in. */
export type ResolvedSpec = Required<
  Pick<
    BackfillSpec,
    | 'name'
    | 'table'
    | 'segments'
    | 'pageSize'
    | 'writeConcurrency'
    | 'leaseSeconds'
    | 'check'
    | 'transform'
  >
> &
  Pick<BackfillSpec, 'index' | 'filter' | 'names' | 'values' | 'rate'> & { concurrency: number }

/** Defaults of a BackfillSpec. */
export const BACKFILL_DEFAULTS = {
  name: 'backfill',
  segments: 8,
  pageSize: 500,
  writeConcurrency: 8,
  leaseSeconds: 30,
  check: 100,
} as const

const NAME = /^[A-Za-z0-9_.-]{1,64}$/

/**
 * Checks a spec as a migration passed it (plain JS, so every field is checked at run time) and fills in
 * the defaults. Throws DdbmError('MIGRATION_INVALID') naming `file`, the field and a hint.
 */
export function resolveSpec(spec: BackfillSpec, file: string): ResolvedSpec {
  const bad = (field: string, message: string, hint: string): never => {
    throw new DdbmError(
      'MIGRATION_INVALID',
      `${file}: ctx.backfill ${field} ${message}`,
      { file, field },
      { hint: `${hint} See docs/backfills.md.` },
    )
  }
  if (typeof spec !== 'object' || spec === null)
    bad('options', 'must be an object', 'Pass { table, transform }.')
  if (typeof spec.table !== 'string' || spec.table === '')
    bad('table', 'must be the logical name of a table', 'Name a table of schemas/.')
  if (typeof spec.transform !== 'function')
    bad(
      'transform',
      'must be a function of one item',
      'Return { update }, { put }, { delete: true } or "skip".',
    )
  const name = spec.name ?? BACKFILL_DEFAULTS.name
  if (!NAME.test(name)) bad('name', `"${name}" is not 1-64 of A-Z a-z 0-9 _ . -`, 'Rename it.')
  const int = (field: keyof BackfillSpec, value: unknown, min: number, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      bad(
        field,
        `must be a whole number from ${min} to ${max} (got ${String(value)})`,
        'Fix the value.',
      )
    return value as number
  }
  const segments = int('segments', spec.segments ?? BACKFILL_DEFAULTS.segments, 1, 1_000_000)
  const resolved: ResolvedSpec = {
    name,
    table: spec.table,
    transform: spec.transform,
    segments,
    concurrency: int('concurrency', spec.concurrency ?? segments, 1, 1_000_000),
    pageSize: int('pageSize', spec.pageSize ?? BACKFILL_DEFAULTS.pageSize, 1, 10_000),
    writeConcurrency: int(
      'writeConcurrency',
      spec.writeConcurrency ?? BACKFILL_DEFAULTS.writeConcurrency,
      1,
      1_000,
    ),
    leaseSeconds: int(
      'leaseSeconds',
      spec.leaseSeconds ?? BACKFILL_DEFAULTS.leaseSeconds,
      1,
      3_600,
    ),
    check: int('check', spec.check ?? BACKFILL_DEFAULTS.check, 0, 100_000),
    ...(spec.index === undefined ? {} : { index: spec.index }),
    ...(spec.filter === undefined ? {} : { filter: spec.filter }),
    ...(spec.names === undefined ? {} : { names: spec.names }),
    ...(spec.values === undefined ? {} : { values: spec.values }),
  }
  if (spec.rate !== undefined) resolved.rate = checkRate(spec.rate, bad)
  return resolved
}

function checkRate(
  rate: RateSpec,
  bad: (field: string, message: string, hint: string) => never,
): RateSpec {
  const positive = (field: string, v: unknown) => {
    if (v !== undefined && (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)))
      bad(`rate.${field}`, `must be a positive number (got ${String(v)})`, 'Give units per second.')
  }
  if ('fraction' in rate) {
    const f: unknown = rate.fraction
    if (typeof f !== 'number' || !(f > 0) || f > 1)
      bad(
        'rate.fraction',
        `must be above 0 and at most 1 (got ${String(f)})`,
        'E.g. 0.25 for a quarter of the capacity.',
      )
    return rate
  }
  positive('readPerSec', rate.readPerSec)
  positive('writePerSec', rate.writePerSec)
  return rate
}

/** The key of a write from `action` on `item`'s key, or undefined for nothing to do. */
export type Write =
  | {
      kind: 'update'
      key: Item
      set?: Record<string, unknown>
      remove?: readonly string[]
      expression?: string
      conditional: Conditional
    }
  | { kind: 'put'; key: Item; item: Item; conditional: Conditional }
  | { kind: 'delete'; key: Item; conditional: Conditional }

/**
 * The write `action` asks for on `item`, keyed by `keyNames` (the table's key attributes), or undefined for
 * a skip. A put must keep the item's key (a backfill never moves items: the old one would stay). Throws
 * DdbmError('MIGRATION_FAILED') for an action of another shape.
 */
export function writeOf(
  action: BackfillAction,
  item: Item,
  keyNames: readonly string[],
): Write | undefined {
  if (action === undefined || action === null || action === 'skip') return undefined
  const key = Object.fromEntries(keyNames.map((k) => [k, item[k]]))
  const conditional: Conditional = {
    ...(action.condition === undefined ? {} : { condition: action.condition }),
    ...(action.names === undefined ? {} : { names: action.names }),
    ...(action.values === undefined ? {} : { values: action.values }),
  }
  if ('update' in action) {
    const u = action.update
    return {
      kind: 'update',
      key,
      ...(u.set === undefined ? {} : { set: u.set }),
      ...(u.remove === undefined ? {} : { remove: u.remove }),
      ...(u.expression === undefined ? {} : { expression: u.expression }),
      conditional,
    }
  }
  if ('put' in action) {
    for (const k of keyNames) {
      if (!sameValue(action.put[k], item[k]))
        throw invalidAction(`put changes the key attribute ${k}; a backfill writes items in place`)
    }
    return { kind: 'put', key, item: action.put, conditional }
  }
  if ('delete' in action && action.delete === true) return { kind: 'delete', key, conditional }
  throw invalidAction(`returned ${JSON.stringify(action)}`)
}

function invalidAction(message: string): DdbmError {
  return new DdbmError('MIGRATION_FAILED', `The backfill's transform ${message}`, undefined, {
    hint: 'Return { update: { set, remove } }, { put: item }, { delete: true } or "skip" (docs/backfills.md).',
  })
}

/** Deep equality of plain attribute values (strings, numbers, booleans, null, arrays, maps, Sets, bytes). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false
    return [...a].every((v) => [...b].some((w) => sameValue(v, w)))
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false
    return a.every((v, i) => v === b[i])
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b as object)
  if (ka.length !== kb.length) return false
  return ka.every((k) =>
    sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  )
}
