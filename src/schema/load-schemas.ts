import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import { DdbmError } from '../errors.js'
import { describeZodIssues } from '../zod-issues.js'
import { sortIssues } from './issues.js'
import type { Issue } from './issues.js'
import { parseJson } from './json-file.js'
import { checkTable } from './rules.js'
import { TableSchema } from './table-schema.js'

/** One parsed table file; `file` is relative to the root with forward slashes (`schemas/Items.json`). */
export type LoadedTable = { file: string; table: TableSchema }

/** What loadSchemas found: the tables that parsed, and every issue of every file, sorted. */
export type LoadResult = { tables: LoadedTable[]; issues: Issue[] }

/** A file's raw JSON, kept for cross-file checks and to describe values zod does not report. */
type Raw = { file: string; base: string; data: unknown }

/** Example values for the hints about missing or mistyped properties, by property name. */
export const EXAMPLES: Readonly<Record<string, string>> = {
  AttributeDefinitions: '[{ "AttributeName": "PK", "AttributeType": "S" }]',
  KeySchema: '[{ "AttributeName": "PK", "KeyType": "HASH" }]',
  AttributeName: '"PK"',
  AttributeType: '"S"',
  KeyType: '"HASH"',
  IndexName: '"StatusIndex"',
  Projection: '{ "ProjectionType": "ALL" }',
  NonKeyAttributes: '["name"]',
  ReadCapacityUnits: '5',
  WriteCapacityUnits: '5',
  Enabled: 'true',
  SSEEnabled: 'true',
  StreamViewType: '"NEW_AND_OLD_IMAGES"',
  Key: '"Application"',
  Value: '"CEAP"',
  Tags: '[{ "Key": "Application", "Value": "CEAP" }]',
}

/**
 * Read every `*.json` file of `dir` (sorted by name; other files are ignored), parse it as a
 * TableSchema, run the DynamoDB RULES on each table that parsed, then the cross-file rules (TableName
 * equals the file's base name, one file per table, no two names equal ignoring case, since DynamoDB
 * Local compares them case-insensitively). Never throws for a user's mistake: every problem becomes
 * an Issue, and `assertValid` turns them into SCHEMA_INVALID. `opts.root` (default `process.cwd()`)
 * is what issue and table file names are relative to.
 */
export async function loadSchemas(dir: string, opts: { root?: string } = {}): Promise<LoadResult> {
  const root = opts.root ?? process.cwd()
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/') || '.'
  let names: string[]
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    names = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err
    const message = code === 'ENOENT' ? 'directory not found' : 'is not a directory'
    const hint = 'run `ddbm init` to scaffold schemas/, or pass the directory that holds the tables'
    return { tables: [], issues: [{ file: rel(dir), path: '', message, hint }] }
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

  const tables: LoadedTable[] = []
  const raws: Raw[] = []
  const issues: Issue[] = []
  for (const name of names) {
    const file = rel(path.join(dir, name))
    const text = await readFile(path.join(dir, name), 'utf8')
    const base = JSON.stringify(path.basename(file, '.json'))
    const parsed = parseJson(
      text,
      file,
      `write the table as one JSON object, e.g. { "TableName": ${base}, ... }, or delete the file`,
    )
    if ('issue' in parsed) {
      issues.push(parsed.issue)
      continue
    }
    raws.push({ file, base: name.slice(0, -'.json'.length), data: parsed.data })
    const result = TableSchema.safeParse(parsed.data)
    if (!result.success) {
      issues.push(...zodIssues(result.error.issues, parsed.data, file))
      continue
    }
    tables.push({ file, table: result.data })
    issues.push(...checkTable(result.data, file))
  }
  issues.push(...crossFileIssues(raws))
  return { tables, issues: sortIssues(issues) }
}

/**
 * The tables of `result`, or a SCHEMA_INVALID DdbmError (`details.issues` holds every Issue) when
 * there is any issue. `label` names the directory in the message: "3 problems in schemas/".
 */
export function assertValid(result: LoadResult, label = 'schemas/'): LoadedTable[] {
  const n = result.issues.length
  if (n === 0) return result.tables
  const message = `${n} ${n === 1 ? 'problem' : 'problems'} in ${label}`
  throw new DdbmError('SCHEMA_INVALID', message, { issues: result.issues })
}

/** Clear, hinted Issues for zod's issues about one file's parsed JSON. */
function zodIssues(found: readonly z.core.$ZodIssue[], data: unknown, file: string): Issue[] {
  const name = JSON.stringify(path.basename(file, '.json'))
  const texts = describeZodIssues(found, data, {
    schema: TableSchema,
    examples: { ...EXAMPLES, TableName: name },
    rootHint: `a table schema is one JSON object: { "TableName": ${name}, "AttributeDefinitions": [...], "KeySchema": [...] }`,
    fallbackHint: 'see the AWS::DynamoDB::Table CloudFormation reference for this property',
  })
  return texts.map((text) => ({ file, ...text }))
}

/** TableName equals the file's base name; one file per table; no two names equal ignoring case. */
function crossFileIssues(raws: readonly Raw[]): Issue[] {
  const named = raws.flatMap((r) => {
    const data = r.data as { TableName?: unknown } | null
    const name = typeof data === 'object' && data !== null ? data.TableName : undefined
    return typeof name === 'string' ? [{ ...r, name }] : []
  })
  const issues: Issue[] = []
  const owners: typeof named = []
  for (const entry of named) {
    const same = named.filter((o) => o.name === entry.name)
    const owner = same.find((o) => o.base === o.name) ?? same[0]
    if (owner !== undefined && owner !== entry) {
      issues.push({
        file: entry.file,
        path: 'TableName',
        message: `${JSON.stringify(entry.name)} is also the TableName of ${owner.file}`,
        hint: 'keep one file per table: delete this file, or give it its own TableName and file name',
      })
      continue
    }
    owners.push(entry)
    if (entry.base !== entry.name) {
      issues.push({
        file: entry.file,
        path: 'TableName',
        message: `${JSON.stringify(entry.name)} does not match the file name "${entry.base}.json"`,
        hint: `rename the file to ${entry.name}.json, or set "TableName": ${JSON.stringify(entry.base)}`,
      })
    }
  }
  owners.forEach((entry, i) => {
    const other = owners.slice(0, i).find((o) => o.name.toLowerCase() === entry.name.toLowerCase())
    if (other === undefined) return
    issues.push({
      file: entry.file,
      path: 'TableName',
      message: `${JSON.stringify(entry.name)} differs only in case from ${JSON.stringify(other.name)} in ${other.file}; DynamoDB Local treats table names case-insensitively`,
      hint: 'rename one of the two tables (and its file) so the names differ by more than case',
    })
  })
  return issues
}
