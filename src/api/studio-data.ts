import { EMBEDDED } from '../config/config-file.js'
import { isDdbmError } from '../errors.js'
import type { TableKeys } from '../engine/browse/browse.js'
import { parseBrowseRequest } from '../engine/browse/expression.js'
import { compareTable, type Check } from '../plan/compare.js'
import { describeOperation } from '../plan/describe.js'
import { liveTtl, unsupportedPart, type LiveTable } from '../plan/live-table.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import type { KeySchema, Projection, TableSchema } from '../schema/table-schema.js'
import { readSeedProgress } from '../engine/meta/seed-progress.js'
import { migrateStatusSession } from './migrate-admin.js'
import { metaStoreOf } from './migrate-shared.js'
import { checkEnvironment } from './protection.js'
import type { Session } from './session.js'
import { verifySession, type VerifyResult } from './verify.js'
import type { StudioData } from '../studio/app.js'

/** One table of the overview: its status, item count and verify result at a glance. */
export type StudioTableSummary = {
  table: string
  physical: string
  status: 'ACTIVE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'missing'
  itemCount?: number
  verify: 'ok' | 'drift' | 'unsupported' | 'pending' | 'missing'
}

/** `GET /api/overview` (docs/studio.md). Endpoint and region only: never credentials. */
export type StudioOverview = {
  env: string
  /** The URL the studio talks to; null for AWS's own endpoint. */
  endpoint: string | null
  region: string | null
  embedded: boolean
  protected: boolean
  storedEnvironment?: { name: string; protected: boolean }
  metaTable: string
  allowWrites: boolean
  tables: StudioTableSummary[]
}

/** A key attribute of a table or index, for the diagram. */
export type StudioKey = { name: string; type: 'S' | 'N' | 'B'; role: 'HASH' | 'RANGE' }

/** An index of the diagram. */
export type StudioIndex = {
  name: string
  keys: StudioKey[]
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'
  nonKeyAttributes?: string[]
  status?: string
}

/** `GET /api/tables/:table`: the live table's description, and verify's checks of it. */
export type StudioTable = {
  table: string
  physical: string
  description: {
    keys: StudioKey[]
    gsis: StudioIndex[]
    lsis: Omit<StudioIndex, 'status'>[]
    ttl?: { attribute: string; enabled: boolean }
    /** null: the endpoint cannot tell (docs/engines.md). */
    pitr?: boolean | null
    sse?: string | null
    stream?: string | null
    deletionProtection?: boolean
    tableClass?: string | null
    billing: 'PAY_PER_REQUEST' | 'PROVISIONED'
    tags?: Record<string, string> | null
  } | null
  checks: Check[]
}

/**
 * The data behind the studio's routes, on one open session: the same functions as `ddbm migrate
 * status` and `ddbm verify` (per table), the live tables read as verify reads them, and the item
 * browser of engine/browse. Reads only, except putItem / deleteItem (the routes refuse them unless
 * `allowWrites`).
 */
export async function studioData(session: Session, allowWrites: boolean): Promise<StudioData> {
  const browse = await import('../engine/browse/browse.js')
  const { readLiveTable } = await import('../engine/live/read-live-table.js')
  const { environmentTables } = await import('./db.js')

  /** The logical tables of the environment: schemas/ and the live tables that follow its template. */
  async function knownTables(): Promise<Map<string, string>> {
    const { schemasDir, root } = session.project
    const known = new Map<string, string>()
    for (const s of assertValid(await loadSchemas(schemasDir, { root }))) {
      known.set(s.table.TableName, session.tableName(s.table.TableName))
    }
    for (const t of (await environmentTables(session)).tables) known.set(t.logical, t.physical)
    return known
  }

  async function keysOf(table: string): Promise<TableKeys | undefined> {
    const physical = (await knownTables()).get(table)
    return physical === undefined ? undefined : browse.describeKeys(session.client, physical)
  }

  return {
    writesAllowed: allowWrites,
    async overview() {
      const store = metaStoreOf(session, {})
      const env = await checkEnvironment(session, store, 'read-only')
      const result = await verifyAll(session)
      const tables: StudioTableSummary[] = []
      for (const t of result.tables) {
        const keys = await browse.describeKeys(session.client, t.physical)
        const statuses = new Set(t.checks.map((c) => c.status))
        const missing = keys === undefined
        tables.push({
          table: t.table,
          physical: t.physical,
          status: missing ? 'missing' : tableStatus(keys.status),
          ...(keys?.itemCount === undefined ? {} : { itemCount: keys.itemCount }),
          verify: missing
            ? 'missing'
            : statuses.has('drift')
              ? 'drift'
              : statuses.has('pending')
                ? 'pending'
                : statuses.has('unsupported')
                  ? 'unsupported'
                  : 'ok',
        })
      }
      const embedded = session.env.endpoint === EMBEDDED
      const region = session.env.region ?? (await session.client.config.region())
      return {
        env: session.env.name,
        endpoint: session.endpoint ?? null,
        region: region ?? null,
        embedded,
        protected: env.protected,
        ...(env.stored === undefined
          ? {}
          : { storedEnvironment: { name: env.stored.name, protected: env.stored.protected } }),
        metaTable: session.env.metaTable,
        allowWrites,
        tables,
      } satisfies StudioOverview
    },
    async migrations() {
      const status = await migrateStatusSession(session)
      const { migrationsDir, root } = session.project
      const { migrations } = await loadMigrations(migrationsDir, { root })
      const steps: Record<string, string[]> = {}
      for (const m of migrations) {
        steps[m.name] =
          m.content === undefined
            ? m.kind === 'ts'
              ? [`run ${m.file} up(ctx)`]
              : []
            : m.content.up.map((op) => describeOperation(op, session.tableName(op.table)))
      }
      return {
        rows: status.rows,
        problems: status.problems,
        ...(status.lock === undefined ? {} : { lock: status.lock }),
        ...(status.backfills === undefined ? {} : { backfills: status.backfills }),
        seeding: await readSeedProgress(session.client, status.metaTable),
        steps,
      }
    },
    async table(table) {
      const physical = (await knownTables()).get(table)
      if (physical === undefined) return undefined
      const live = await readLiveTable(session.client, physical, { logical: table })
      const checks = await verifyOne(session, table, live)
      return {
        table,
        physical,
        description: live === undefined ? null : describe(live),
        checks,
      } satisfies StudioTable
    },
    async items(table, body) {
      const req = parseBrowseRequest(body)
      const keys = await keysOf(table)
      return keys === undefined ? undefined : browse.browsePage(session.client, keys, req)
    },
    async exportItems(table, body) {
      const req = parseBrowseRequest(body)
      const keys = await keysOf(table)
      if (keys === undefined) return undefined
      return {
        keyNames: browse.keysFor(keys, req.index).map((k) => k.name),
        pages: browse.browseAll(session.client, keys, req),
      }
    },
    async putItem(table, item) {
      const keys = await keysOf(table)
      if (keys === undefined) return false
      await browse.putItem(session.client, keys, item)
      return true
    },
    async deleteItem(table, key) {
      const keys = await keysOf(table)
      if (keys === undefined) return false
      await browse.deleteItem(session.client, keys, key)
      return true
    },
  }
}

/** verify() of the whole environment; drift is a result here, not a failure. */
async function verifyAll(session: Session): Promise<VerifyResult> {
  try {
    return await verifySession(session)
  } catch (err) {
    if (isDdbmError(err, 'VERIFY_DRIFT')) return err.details.result
    throw err
  }
}

/**
 * verify's checks of one table: verifySession for a table of schemas/, and for a live table schemas/
 * does not know, the checks verify makes of it (an `exists` drift).
 */
async function verifyOne(
  session: Session,
  table: string,
  live: LiveTable | undefined,
): Promise<Check[]> {
  try {
    return (await verifySession(session, table)).tables[0]?.checks ?? []
  } catch (err) {
    if (isDdbmError(err, 'VERIFY_DRIFT')) return err.details.result.tables[0]?.checks ?? []
    if (isDdbmError(err, 'USAGE')) return compareTable(table, undefined, live)
    throw err
  }
}

function tableStatus(status: string): StudioTableSummary['status'] {
  return status === 'CREATING' || status === 'UPDATING' || status === 'DELETING' ? status : 'ACTIVE'
}

/** The diagram's description of a live table; parts the endpoint cannot report are null. */
function describe(live: LiveTable): NonNullable<StudioTable['description']> {
  const d: TableSchema = live.definition
  const types = new Map(d.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]))
  const keys = (schema: KeySchema): StudioKey[] =>
    schema.map((k) => ({
      name: k.AttributeName,
      type: types.get(k.AttributeName) ?? 'S',
      role: k.KeyType,
    }))
  const index = (i: { IndexName: string; KeySchema: KeySchema; Projection: Projection }) => ({
    name: i.IndexName,
    keys: keys(i.KeySchema),
    projection: i.Projection.ProjectionType ?? 'ALL',
    ...(i.Projection.NonKeyAttributes === undefined
      ? {}
      : { nonKeyAttributes: i.Projection.NonKeyAttributes }),
  })
  const ttl = liveTtl(live)
  const unknown = (part: 'pitr' | 'tags' | 'sse' | 'tableClass') =>
    unsupportedPart(live, part) !== undefined
  return {
    keys: keys(d.KeySchema),
    gsis: (d.GlobalSecondaryIndexes ?? []).map((g) => {
      const status = live.indexes[g.IndexName]?.status
      return { ...index(g), ...(status === undefined ? {} : { status }) }
    }),
    lsis: (d.LocalSecondaryIndexes ?? []).map(index),
    ...(ttl.attribute === undefined
      ? {}
      : {
          ttl: {
            attribute: ttl.attribute,
            enabled: ttl.status === 'ENABLED' || ttl.status === 'ENABLING',
          },
        }),
    pitr: unknown('pitr')
      ? null
      : d.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true,
    sse: unknown('sse')
      ? null
      : d.SSESpecification?.SSEEnabled === true
        ? (d.SSESpecification.SSEType ?? 'KMS')
        : 'AWS_OWNED',
    stream: d.StreamSpecification?.StreamViewType ?? null,
    deletionProtection: d.DeletionProtectionEnabled === true,
    tableClass: unknown('tableClass') ? null : (d.TableClass ?? 'STANDARD'),
    billing: d.BillingMode ?? 'PROVISIONED',
    tags: unknown('tags') ? null : Object.fromEntries((d.Tags ?? []).map((t) => [t.Key, t.Value])),
  }
}
