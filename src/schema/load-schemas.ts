import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { DdbmError } from '../errors.js'
import { jsonPath, sortIssues } from './issues.js'
import type { Issue } from './issues.js'
import { checkTable } from './rules.js'
import { TableSchema } from './table-schema.js'

/** One parsed table file; `file` is relative to the root with forward slashes (`schemas/Items.json`). */
export type LoadedTable = { file: string; table: TableSchema }

/** What loadSchemas found: the tables that parsed, and every issue of every file, sorted. */
export type LoadResult = { tables: LoadedTable[]; issues: Issue[] }

/** A file's raw JSON, kept for cross-file checks and to describe values zod does not report. */
type Raw = { file: string; base: string; data: unknown }

type ZodIssue = z.core.$ZodIssue

/** Example values for the hints about missing or mistyped properties, by property name. */
const EXAMPLES: Record<string, string> = {
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

const TYPE_TEXT: Record<string, [text: string, example: string]> = {
  string: ['a string', '"text"'],
  number: ['a number', '5'],
  int: ['a whole number', '5'],
  boolean: ['true or false', 'true'],
  array: ['an array', '[]'],
  object: ['an object', '{}'],
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
    const parsed = parseJson(text, file)
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

function parseJson(text: string, file: string): { data: unknown } | { issue: Issue } {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') {
    const name = JSON.stringify(path.basename(file, '.json'))
    const hint = `write the table as one JSON object, e.g. { "TableName": ${name}, ... }, or delete the file`
    return { issue: { file, path: '', message: 'is empty', hint } }
  }
  try {
    return { data: JSON.parse(body) }
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err)
    const reason = raw
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
    const match = /at position (\d+)/.exec(raw)
    const pos =
      match?.[1] !== undefined ? Number(match[1]) : /end of JSON/.test(raw) ? body.length : -1
    const where = pos < 0 ? '' : ` (${lineColumn(body, pos)})`
    const at = pos < 0 ? 'the JSON syntax' : `the JSON syntax at ${lineColumn(body, pos)}`
    return {
      issue: {
        file,
        path: '',
        message: `is not valid JSON: ${reason}${where}`,
        hint: `fix ${at}; JSON allows no comments, no trailing commas and only double-quoted strings`,
      },
    }
  }
}

function lineColumn(text: string, pos: number): string {
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  const column = pos - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}

/** The value at `at` inside `data`, and whether its parent object has that key at all. */
function lookup(data: unknown, at: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let value: unknown = data
  for (const part of at) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) {
      return { present: false, value: undefined }
    }
    value = (value as Record<PropertyKey, unknown>)[part]
  }
  return { present: true, value }
}

/** The property names the TableSchema allows for the object at `at`. */
function allowedKeys(at: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = TableSchema
  const unwrap = (s: z.ZodType): z.ZodType =>
    s instanceof z.ZodOptional ? unwrap(s.unwrap() as z.ZodType) : s
  for (const part of at) {
    const s = unwrap(schema)
    if (typeof part === 'number' && s instanceof z.ZodArray) schema = s.element as z.ZodType
    else if (typeof part === 'string' && s instanceof z.ZodObject && part in s.shape) {
      schema = s.shape[part] as z.ZodType
    } else return []
  }
  const s = unwrap(schema)
  return s instanceof z.ZodObject ? Object.keys(s.shape) : []
}

function distance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const row = [i]
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost))
    }
    prev = row
  }
  return prev[y.length] ?? 0
}

/** Edit distance, with a word contained in the other (`TimeToLive`, `TimeToLiveSpecification`) near. */
function score(word: string, choice: string): number {
  const w = word.toLowerCase()
  const c = choice.toLowerCase()
  return w.length >= 3 && (c.includes(w) || w.includes(c)) ? 0.5 : distance(w, c)
}

/** `choices` closest to `word` first, and the closest one if it is close enough to suggest. */
function closest(word: string, choices: readonly string[]): { sorted: string[]; best?: string } {
  const sorted = [...choices].sort((a, b) => score(word, a) - score(word, b))
  const best = sorted[0]
  const near = best !== undefined && score(word, best) <= Math.max(2, Math.floor(word.length / 3))
  return near ? { sorted, best } : { sorted }
}

function suggest(word: string, choices: readonly string[], noun: string): string {
  const { sorted, best } = closest(word, choices)
  const list = `${noun}: ${sorted.map((c) => JSON.stringify(c)).join(', ')}`
  return best === undefined ? list : `did you mean ${JSON.stringify(best)}? ${list}`
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object' && value !== null) return 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/** Clear, hinted Issues for zod's issues about one file's parsed JSON. */
function zodIssues(found: readonly ZodIssue[], data: unknown, file: string): Issue[] {
  const out: Issue[] = []
  const suggested = new Set<string>()
  for (const issue of found) {
    if (issue.code !== 'unrecognized_keys') continue
    const allowed = allowedKeys(issue.path)
    for (const key of issue.keys) {
      const best = closest(key, allowed).best
      if (best !== undefined) suggested.add(jsonPath([...issue.path, best]))
      out.push({
        file,
        path: jsonPath([...issue.path, key]),
        message: `unknown property ${JSON.stringify(key)}`,
        hint: suggest(key, allowed, 'allowed properties'),
      })
    }
  }
  for (const issue of found) {
    if (issue.code === 'unrecognized_keys') continue
    const at = jsonPath(issue.path)
    const name = issue.path.at(-1)
    const { present, value } = lookup(data, issue.path)
    if (!present && issue.path.length > 0) {
      // a misspelt property already reported as unknown, with this one as its suggestion
      if (suggested.has(at)) continue
      out.push({
        file,
        path: at,
        message: `missing required property ${JSON.stringify(name)}`,
        hint: `add ${JSON.stringify(name)}: ${exampleFor(issue, name, file)}`,
      })
      continue
    }
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      const shape = `{ "TableName": ${exampleFor(issue, 'TableName', file)}, "AttributeDefinitions": [...], "KeySchema": [...] }`
      const message = `expected an object, found ${describe(value)}`
      out.push({ file, path: at, message, hint: `a table schema is one JSON object: ${shape}` })
      continue
    }
    out.push({ file, path: at, ...explain(issue, value, name) })
  }
  return out
}

function exampleFor(issue: ZodIssue, name: PropertyKey | undefined, file: string): string {
  if (name === 'TableName') return JSON.stringify(path.basename(file, '.json'))
  const known = typeof name === 'string' ? EXAMPLES[name] : undefined
  if (known !== undefined) return known
  if (issue.code === 'invalid_value') return JSON.stringify(issue.values[0])
  if (issue.code === 'invalid_type') return TYPE_TEXT[issue.expected]?.[1] ?? '...'
  return '...'
}

/** True when `text` is a number or boolean of the `expected` type written as a string ("5"). */
function quotedLiteral(text: string, expected: string): boolean {
  if (expected === 'boolean') return text === 'true' || text === 'false'
  if (expected === 'number') return text.trim() !== '' && Number.isFinite(Number(text))
  if (expected === 'int') return text.trim() !== '' && Number.isInteger(Number(text))
  return false
}

function explain(
  issue: ZodIssue,
  value: unknown,
  name: PropertyKey | undefined,
): Omit<Issue, 'file' | 'path'> {
  const example = typeof name === 'string' ? EXAMPLES[name] : undefined
  switch (issue.code) {
    case 'invalid_type': {
      const [text, fallback] = TYPE_TEXT[issue.expected] ?? [issue.expected, '...']
      const unquoted = typeof value === 'string' && quotedLiteral(value, issue.expected)
      const hint = unquoted
        ? `write ${value} without quotes`
        : `write ${text}, e.g. ${example ?? fallback}`
      return { message: `expected ${text}, found ${describe(value)}`, hint }
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String)
      const what = typeof name === 'string' ? name : 'value'
      return {
        message: `${describe(value)} is not a valid ${what}`,
        hint: suggest(typeof value === 'string' ? value : '', allowed, 'allowed values'),
      }
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const bound = small ? issue.minimum : issue.maximum
      const rel = issue.inclusive
        ? small
          ? 'at least'
          : 'at most'
        : small
          ? 'greater than'
          : 'less than'
      return {
        message: `${describe(value)} is too ${small ? 'small' : 'big'}; it must be ${rel} ${String(bound)}`,
        hint: `use a value ${rel} ${String(bound)}${example === undefined ? '' : `, e.g. ${example}`}`,
      }
    }
    default:
      return {
        message: issue.message,
        hint: 'see the AWS::DynamoDB::Table CloudFormation reference for this property',
      }
  }
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
