import type { TableSchema } from '../schema/table-schema.js'
import {
  billingText,
  indexChecks,
  kmsKey,
  pitrText,
  streamText,
  tagsText,
  ttlCheck,
} from './compare-parts.js'
import { normalizeTable } from './normalize.js'

/** Parts of a table an endpoint may be unable to report (DYNAMODB-FACTS.md, engines table). */
export type LivePart = 'pitr' | 'tags' | 'sse' | 'tableClass'

/** DescribeTimeToLive's TimeToLiveStatus. */
export type TtlStatus = 'ENABLED' | 'ENABLING' | 'DISABLED' | 'DISABLING'

/**
 * A live table as the planner sees it (engine/live/read-live-table.ts builds it; plan/ never sees SDK types).
 * `definition` is CloudFormation-shaped, as a schema file would say it, and holds only what the endpoint
 * reported: a part listed in `unsupported` is absent from it, never guessed.
 */
export type LiveTable = {
  definition: TableSchema
  /** Each GSI's IndexStatus (CREATING, UPDATING, DELETING, ACTIVE) and Backfilling flag. */
  indexes: Record<string, { status: string; backfilling: boolean }>
  /** TableStatus (CREATING, UPDATING, DELETING, ACTIVE, ...). */
  tableStatus: string
  /** Absent when DescribeTimeToLive gave no description (the same as DISABLED). */
  ttlStatus?: TtlStatus
  /** What the endpoint cannot answer: those checks are `unsupported`, never `ok`. */
  unsupported: LivePart[]
  /** Why each unsupported part is unsupported, for the check's detail. */
  unsupportedReasons?: Partial<Record<LivePart, string>>
}

/** `ok`; `drift` (expected ≠ actual); `unsupported` (the endpoint cannot answer); `pending` (in progress). */
export type CheckStatus = 'ok' | 'drift' | 'unsupported' | 'pending'

/**
 * One verification result. `check` is short and stable: `exists`, `keys`, `gsi:<name>`,
 * `gsi:<name>:extra`, `lsi:<name>`, `lsi:<name>:extra`, `billing`, `ttl`, `pitr`, `sse`, `stream`,
 * `deletionProtection`, `tableClass`, `tags`. `expected` and `actual` are JSON-safe display values.
 */
export type Check = {
  table: string
  check: string
  status: CheckStatus
  expected?: unknown
  actual?: unknown
  detail?: string
}

/**
 * Compares a table's schema with its live state. Both sides go through `normalizeTable` first, so a table
 * a migration has just created shows no drift. Without a live table the result is one `exists` drift and
 * nothing else; without a schema (a live table of the environment that schemas/ does not know) likewise.
 * Pending states (table or GSI CREATING/UPDATING, TTL ENABLING/DISABLING heading the wanted way) are
 * `pending`, not drift. Pure.
 */
export function compareTable(
  logical: string,
  expected: TableSchema | undefined,
  live: LiveTable | undefined,
): Check[] {
  const check = (
    name: string,
    status: CheckStatus,
    extra: Omit<Check, 'table' | 'check' | 'status'> = {},
  ): Check => ({ table: logical, check: name, status, ...extra })
  if (expected === undefined && live === undefined) return []
  if (expected === undefined) {
    return [
      check('exists', 'drift', {
        expected: 'absent',
        actual: 'exists',
        detail: `no schemas/${logical}.json: delete the table, or \`ddbm db pull --table ${logical}\``,
      }),
    ]
  }
  if (live === undefined) {
    return [check('exists', 'drift', { expected: 'exists', actual: 'missing' })]
  }
  const e = normalizeTable(expected)
  const l = normalizeTable(live.definition)
  const checks: Check[] = [existsCheck(live, check)]
  const same = (name: string, want: unknown, have: unknown, detail?: string): Check =>
    check(name, JSON.stringify(want) === JSON.stringify(have) ? 'ok' : 'drift', {
      expected: want,
      actual: have,
      ...(detail === undefined ? {} : { detail }),
    })
  const unsupported = (part: LivePart): Check | undefined =>
    live.unsupported.includes(part)
      ? check(part, 'unsupported', {
          detail: live.unsupportedReasons?.[part] ?? 'the endpoint does not report it',
        })
      : undefined

  checks.push(...indexChecks(e, l, live, logical))
  checks.push(same('billing', billingText(e), billingText(l)))
  checks.push(ttlCheck(e, live, check))
  checks.push(unsupported('pitr') ?? same('pitr', pitrText(e), pitrText(l)))
  checks.push(unsupported('sse') ?? sseCheck(e, l, check))
  checks.push(same('stream', streamText(e), streamText(l)))
  checks.push(
    same(
      'deletionProtection',
      e.DeletionProtectionEnabled ?? false,
      l.DeletionProtectionEnabled ?? false,
    ),
  )
  checks.push(
    unsupported('tableClass') ??
      same('tableClass', e.TableClass ?? 'STANDARD', l.TableClass ?? 'STANDARD'),
  )
  checks.push(unsupported('tags') ?? same('tags', tagsText(e), tagsText(l)))
  return checks
}

type MakeCheck = (
  name: string,
  status: CheckStatus,
  extra?: Omit<Check, 'table' | 'check' | 'status'>,
) => Check

/** ACTIVE: ok; CREATING/UPDATING: pending; anything else (DELETING, ARCHIVED...): drift. */
function existsCheck(live: LiveTable, check: MakeCheck): Check {
  const status = live.tableStatus
  if (status === 'ACTIVE') return check('exists', 'ok', { expected: 'ACTIVE', actual: status })
  const pending = status === 'CREATING' || status === 'UPDATING'
  return check('exists', pending ? 'pending' : 'drift', {
    expected: 'ACTIVE',
    actual: status,
    detail: `table is ${status}`,
  })
}

/**
 * Encryption, normalized: absent or `SSEEnabled: false` is the AWS owned key (`DISABLED`); enabled without
 * SSEType is KMS. A wanted KMS key is compared by its key id (a key id, a key ARN and DescribeTable's
 * KMSMasterKeyArn all name it); an alias cannot be resolved without KMS, and no key at all means the AWS
 * managed key, which DescribeTable does not tell apart from a customer managed one: both are `ok` with the
 * live key in the detail (DYNAMODB-FACTS.md: key id vs ARN vs alias is drift noise).
 */
function sseCheck(e: TableSchema, l: TableSchema, check: MakeCheck): Check {
  const view = (t: TableSchema) =>
    t.SSESpecification?.SSEEnabled === true ? (t.SSESpecification.SSEType ?? 'KMS') : 'DISABLED'
  const want = view(e)
  const have = view(l)
  const wantKey = e.SSESpecification?.KMSMasterKeyId
  const haveKey = l.SSESpecification?.KMSMasterKeyId
  const show = (type: string, key: string | undefined) => (key ? `${type} ${key}` : type)
  const result = { expected: show(want, wantKey), actual: show(have, haveKey) }
  if (want !== have) return check('sse', 'drift', result)
  if (want === 'DISABLED' || haveKey === undefined) return check('sse', 'ok', result)
  const wanted = wantKey === undefined ? undefined : kmsKey(wantKey)
  const actual = kmsKey(haveKey)
  if (wanted === undefined) {
    return check('sse', 'ok', {
      ...result,
      detail: `no key in the schema (the AWS managed key); live key ${haveKey} not compared without KMS`,
    })
  }
  if (wanted.kind === 'alias' || actual.kind === 'alias') {
    return check('sse', 'ok', {
      ...result,
      detail: `${wantKey} cannot be resolved without KMS; live key ${haveKey} not compared`,
    })
  }
  return check('sse', wanted.id === actual.id ? 'ok' : 'drift', result)
}
