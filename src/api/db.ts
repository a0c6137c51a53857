import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { logicalName } from '../config/table-names.js'
import { DdbmError } from '../errors.js'
import type { Emit } from '../events.js'
import { normalizeTable } from '../plan/normalize.js'
import type { TableSchema } from '../schema/table-schema.js'
import { checkTable } from '../schema/rules.js'
import { metaStoreOf } from './migrate-shared.js'
import { checkEnvironment } from './protection.js'
import { schemaRef } from './schema-ref.js'
import { withSession, type Session, type SessionOptions } from './session.js'

/** Options of pull(): the session's, and an optional single table. */
export type PullOptions = SessionOptions & {
  /** Only this logical table (a USAGE error when the environment has no such table). */
  table?: string
}

/** What pull() wrote and what it left out. */
export type PullResult = {
  /** Files written, relative to the project root (`schemas/Orders.json`). */
  written: string[]
  /** Physical names left out: the meta table, and tables that do not follow the environment's template. */
  skipped: string[]
}

/** The live tables of an environment: those that follow its name template, and those left out. */
export type EnvironmentTables = {
  tables: { logical: string; physical: string }[]
  skipped: string[]
}

/**
 * Lists the endpoint's tables (all pages of ListTables) and maps each physical name back to its logical
 * name through the environment's template. The meta table, names that do not follow the template, and
 * logical names DynamoDB would refuse as a TableName of a schema (under 3 characters) are `skipped`.
 */
export async function environmentTables(session: Session): Promise<EnvironmentTables> {
  const out: EnvironmentTables = { tables: [], skipped: [] }
  const { listTableNames } = await import('../engine/live/read-live-table.js')
  for (const physical of await listTableNames(session.client)) {
    const logical = logicalName(physical, session.env.name, session.env.tableNameTemplate)
    if (physical === session.env.metaTable || logical === undefined || logical.length < 3) {
      out.skipped.push(physical)
    } else {
      out.tables.push({ logical, physical })
    }
  }
  return out
}

/**
 * `ddbm db pull`: writes `schemas/<Logical>.json` for every live table of the environment (or only
 * `table`), overwriting existing files. Each file is `$schema` then the normalized definition (2-space
 * JSON and a newline), holding only what the endpoint reported: what it cannot answer (PITR and tags on
 * DynamoDB Local, table class on moto...) is left out, never invented, and named in an info event.
 * Issues the schema rules would raise for a pulled table are emitted as warnings.
 */
export async function pull(opts: PullOptions = {}): Promise<PullResult> {
  return withSession(opts, async (session) => {
    await checkEnvironment(session, metaStoreOf(session, {}), 'read-only')
    const { tables, skipped } = await environmentTables(session)
    const selected =
      opts.table === undefined ? tables : tables.filter((t) => t.logical === opts.table)
    if (opts.table !== undefined && selected.length === 0) {
      const known = tables.map((t) => t.logical).join(', ') || 'none'
      throw new DdbmError(
        'USAGE',
        `No table "${opts.table}" in environment "${session.env.name}" (live tables: ${known})`,
        { table: opts.table, known: tables.map((t) => t.logical) },
      )
    }
    const root = session.project.root
    const written: string[] = []
    const { readLiveTable } = await import('../engine/live/read-live-table.js')
    for (const { logical, physical } of selected) {
      const live = await readLiveTable(session.client, physical, { logical })
      if (live === undefined) continue // deleted since ListTables
      const file = path.join(session.project.schemasDir, `${logical}.json`)
      const rel = path.relative(root, file).split(path.sep).join('/')
      const definition = withoutKmsKey(normalizeTable(live.definition), rel, session.emit)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(
        file,
        `${JSON.stringify({ $schema: schemaRef(root, file, 'table.schema.json'), ...definition }, null, 2)}\n`,
      )
      written.push(rel)
      if (live.unsupported.length) {
        session.emit({
          kind: 'log',
          level: 'info',
          message: `${rel}: not reported by the endpoint, left out: ${live.unsupported.join(', ')}`,
        })
      }
      for (const issue of checkTable(definition, rel)) {
        session.emit({
          kind: 'log',
          level: 'warn',
          message: `${issue.file}: ${issue.path}: ${issue.message}`,
        })
      }
    }
    return { written, skipped }
  })
}

/**
 * DescribeTable reports the KMS key's ARN whether it is the AWS managed key (`alias/aws/dynamodb`) or a
 * customer managed one, and only KMS can tell them apart. The AWS managed key is by far the common case and
 * is what a schema without `KMSMasterKeyId` means, so pull leaves the key out (pull then generate plans no
 * change) and says so; a team on a customer managed key adds it back.
 */
function withoutKmsKey(definition: TableSchema, file: string, emit: Emit): TableSchema {
  const sse = definition.SSESpecification
  if (sse?.KMSMasterKeyId === undefined) return definition
  const { KMSMasterKeyId: key, ...rest } = sse
  emit({
    kind: 'log',
    level: 'info',
    message: `${file}: SSE uses KMS key ${key}; written as the AWS managed key. Add "KMSMasterKeyId" if it is a customer managed key.`,
  })
  return { ...definition, SSESpecification: rest }
}
