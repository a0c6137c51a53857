import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { logicalName } from '../config/table-names.js'
import { readRecordsIfAny } from '../engine/runner/history-check.js'
import { DdbmError } from '../errors.js'
import { lineDiff } from '../plan/line-diff.js'
import type { LivePart, LiveTable } from '../plan/live-table.js'
import { normalizeTable } from '../plan/normalize.js'
import { pulledSchema } from '../plan/pulled-schema.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { TableSchema } from '../schema/table-schema.js'
import { checkTable } from '../schema/rules.js'
import { metaStoreOf } from './migrate-shared.js'
import { checkEnvironment } from './protection.js'
import { schemaRef } from './schema-ref.js'
import { withSession, type Session, type SessionOptions } from './session.js'

/** Options of pull(): the session's, an optional single table, and how existing files are treated. */
export type PullOptions = SessionOptions & {
  /** Only this logical table (a USAGE error when the environment has no such table). */
  table?: string
  /** Overwrite existing schema files that differ from the live table (default false: they are conflicts). */
  force?: boolean
  /** Write nothing; report what each file would become, with its diff (default false). */
  dryRun?: boolean
}

/**
 * One pulled table. `status`: `new` (no file yet), `changed` (the file says something else) or
 * `unchanged` (the file already says what the live table is, however it is formatted).
 */
export type PulledTable = {
  table: string
  physical: string
  /** Relative to the project root: `schemas/Orders.json`. */
  file: string
  status: 'new' | 'changed' | 'unchanged'
  /** Whether the file was written (new files, and changed ones with `force`; never on a dry run). */
  written: boolean
  /** Unified diff lines from the file (normalized) to what pull writes; empty when unchanged. */
  diff: string[]
  /** The parts the endpoint could not report (`pitr`, `tags`, `sse`, `tableClass`): kept from the file. */
  unreported: LivePart[]
  /** What a reader of the file should know (e.g. the KMS key written as the AWS managed key). */
  notes: string[]
}

/** What pull() wrote, what it left as it was, and what it left out. */
export type PullResult = {
  dryRun: boolean
  /** Files written, relative to the project root (`schemas/Orders.json`). */
  written: string[]
  /** Files that already say what the live table is: not rewritten. */
  unchanged: string[]
  /** Files that differ from the live table and were not written (no `force`); empty on a dry run. */
  conflicts: string[]
  /** Every pulled table, in ListTables order. */
  tables: PulledTable[]
  /** Physical names left out: the meta table, and tables that do not follow the environment's template. */
  skipped: string[]
}

declare module '../errors.js' {
  /**
   * PULL_CONFLICT carries the whole result (what was written, each conflict's diff) and the migrations
   * the environment has not applied.
   */
  interface ErrorDetails {
    PULL_CONFLICT: { result: PullResult; pending?: string[]; [field: string]: unknown }
  }
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
 * `ddbm db pull`: `schemas/<Logical>.json` for every live table of the environment (or only `table`),
 * each `$schema` then the normalized definition (2-space JSON and a newline; see plan/pulled-schema.ts for
 * what is taken from the live table and what is kept from the file). A new file is written; a file that
 * already says the same (compared normalized, so its formatting does not matter) is left as it is;
 * a file that says something else is a conflict: left as it is, with the diff of what would change,
 * unless `force`. With `dryRun` nothing is written. After writing the rest, conflicts throw PULL_CONFLICT
 * (exit 2, `details.result` holds the whole result). Issues the schema rules would raise for a pulled
 * table are emitted as warnings.
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
    const dryRun = opts.dryRun === true
    const pulled: PulledTable[] = []
    const { readLiveTable } = await import('../engine/live/read-live-table.js')
    for (const { logical, physical } of selected) {
      const live = await readLiveTable(session.client, physical, { logical })
      if (live === undefined) continue // deleted since ListTables
      pulled.push(await pullTable(session, logical, physical, live, opts))
    }
    const result: PullResult = {
      dryRun,
      written: pulled.filter((t) => t.written).map((t) => t.file),
      unchanged: pulled.filter((t) => t.status === 'unchanged').map((t) => t.file),
      conflicts: dryRun
        ? []
        : pulled.filter((t) => t.status === 'changed' && !t.written).map((t) => t.file),
      tables: pulled,
      skipped,
    }
    const n = result.conflicts.length
    if (n > 0) {
      const pending = await notApplied(session)
      const m = pending.length
      throw new DdbmError(
        'PULL_CONFLICT',
        `${n} schema ${n === 1 ? 'file differs' : 'files differ'} from the live ${n === 1 ? 'table' : 'tables'} of ${session.env.name}, not overwritten without --force: ${result.conflicts.join(', ')}`,
        { result, pending },
        m === 0
          ? {}
          : {
              hint: `${m === 1 ? 'Migration' : 'Migrations'} ${pending.join(', ')} ${m === 1 ? 'is' : 'are'} not applied in ${session.env.name} and may make the difference: apply ${m === 1 ? 'it' : 'them'} with \`ddbm migrate up\`, then pull again. To replace the files with the live tables anyway, re-run with --force (\`--dry-run\` shows every change).`,
            },
      )
    }
    return result
  })
}

/** One live table against its file: compared, and written when new (or changed, with `force`). */
async function pullTable(
  session: Session,
  logical: string,
  physical: string,
  live: LiveTable,
  opts: PullOptions,
): Promise<PulledTable> {
  const root = session.project.root
  const file = path.join(session.project.schemasDir, `${logical}.json`)
  const rel = path.relative(root, file).split(path.sep).join('/')
  const current = await readCurrent(file)
  const pulled = pulledSchema(live, current?.table)
  const $schema = schemaRef(root, file, 'table.schema.json')
  const text = `${JSON.stringify({ $schema, ...pulled.definition }, null, 2)}\n`
  // Compared normalized, so that a file written by hand in another order or style is not a change.
  const before =
    current === undefined
      ? undefined
      : current.table === undefined
        ? current.text
        : `${JSON.stringify({ $schema, ...normalizeTable(current.table) }, null, 2)}\n`
  const status = before === undefined ? 'new' : before === text ? 'unchanged' : 'changed'
  const write =
    opts.dryRun !== true && (status === 'new' || (status === 'changed' && opts.force === true))
  if (write) {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
  }
  for (const note of pulled.notes) {
    session.emit({ kind: 'log', level: 'info', message: `${rel}: ${note}` })
  }
  if (status !== 'unchanged') {
    for (const issue of checkTable(pulled.definition, rel)) {
      session.emit({
        kind: 'log',
        level: 'warn',
        message: `${issue.file}: ${issue.path}: ${issue.message}`,
      })
    }
  }
  return {
    table: logical,
    physical,
    file: rel,
    status,
    written: write,
    diff: status === 'unchanged' ? [] : lineDiff(before ?? '', text),
    unreported: pulled.unreported,
    notes: pulled.notes,
  }
}

/**
 * The migrations of migrations/ the environment has not applied (read-only; none when the meta table
 * cannot be read), for the hint of a conflict: a pending migration is the usual reason a schema file
 * says more than the live table.
 */
async function notApplied(session: Session): Promise<string[]> {
  try {
    const { migrationsDir, root } = session.project
    const { migrations } = await loadMigrations(migrationsDir, { root })
    const records = await readRecordsIfAny(metaStoreOf(session, {}))
    const applied = new Set(records.filter((r) => r.status === 'applied').map((r) => r.name))
    return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name)
  } catch {
    return []
  }
}

/** The file's text and, when it holds a valid table definition, the table; undefined when absent. */
async function readCurrent(
  file: string,
): Promise<{ text: string; table: TableSchema | undefined } | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    return { text, table: undefined }
  }
  const parsed = TableSchema.safeParse(data)
  return { text, table: parsed.success ? parsed.data : undefined }
}
