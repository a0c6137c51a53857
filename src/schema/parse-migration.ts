import { z } from 'zod'
import { suggest, describeZodIssues } from '../zod-issues.js'
import type { Issue } from './issues.js'
import { EXAMPLES } from './load-schemas.js'
import { MigrationFile, Operation, OPERATION_KINDS } from './operation.js'
import { checkName } from './rules/names.js'
import { join } from './rules/operation-rule.js'
import { reversibility } from './rules/reversible.js'

/** Where hints send a reader for the operations and their fields. */
const OPERATIONS_DOC =
  "see ddbm's docs/migration-format.md#operations for the operations and their fields"

/** Example values for hints about the fields of operations, by property name. */
const OPERATION_EXAMPLES: Readonly<Record<string, string>> = {
  ...EXAMPLES,
  table: '"Orders"',
  indexName: '"StatusIndex"',
  definition: '{ "TableName": "Orders", "AttributeDefinitions": [...], "KeySchema": [...] }',
  index:
    '{ "IndexName": "StatusIndex", "KeySchema": [{ "AttributeName": "status", "KeyType": "HASH" }], "Projection": { "ProjectionType": "ALL" } }',
  attributeDefinitions: '[{ "AttributeName": "status", "AttributeType": "S" }]',
  ttl: '{ "AttributeName": "expiresAt", "Enabled": true }',
  pitr: '{ "PointInTimeRecoveryEnabled": true }',
  billingMode: '"PAY_PER_REQUEST"',
  stream: '{ "StreamViewType": "NEW_AND_OLD_IMAGES" }',
  sse: '{ "SSEEnabled": true }',
  enabled: 'true',
  tableClass: '"STANDARD"',
  tags: '[{ "Key": "team", "Value": "checkout" }]',
  keys: '["team"]',
}

/** The schema of each kind of operation. */
const BY_KIND = new Map<unknown, z.ZodType>(Operation.options.map((o) => [o.shape.op.value, o]))

/** The file with `up` and `down` as lists of anything: their operations are described one by one. */
const FILE_SHAPE = MigrationFile.extend({ up: z.array(z.unknown()), down: z.array(z.unknown()) })

type IssueText = Omit<Issue, 'file'>

/**
 * Parses the JSON `data` of migration `file` as a MigrationFile. Each problem becomes an Issue with the
 * JSON path and a hint: the file's own properties, then each operation against the schema of its `op`
 * (so a misspelt field gets "did you mean" among that operation's fields), and an unknown `op` gets
 * "did you mean" among the operations. A file of the right shape is also checked for a `down` for its
 * `up` (rules/reversible.ts). `content` is the parsed file when its shape is valid.
 */
export function parseMigration(
  data: unknown,
  file: string,
): { content?: MigrationFile; issues: Issue[] } {
  const parsed = MigrationFile.safeParse(data)
  if (parsed.success) {
    const issues = reversibility(parsed.data).map((i) => ({ file, ...i }))
    return { content: parsed.data, issues }
  }
  const texts: IssueText[] = []
  const shape = FILE_SHAPE.safeParse(data)
  if (!shape.success) {
    texts.push(
      ...describeZodIssues(shape.error.issues, data, {
        schema: MigrationFile,
        rootHint: 'a migration is one JSON object: { "version": 1, "up": [...], "down": [...] }',
        fallbackHint: OPERATIONS_DOC,
      }),
    )
  }
  const lists = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}
  for (const key of ['up', 'down'] as const) {
    const list = lists[key]
    if (!Array.isArray(list)) continue
    list.forEach((value, i) => texts.push(...operationIssues(value, `${key}[${i}]`)))
  }
  return { issues: texts.map((t) => ({ file, ...t })) }
}

/** The issues of one operation at `at` (`up[2]`), against the schema of its `op`. */
function operationIssues(value: unknown, at: string): IssueText[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : JSON.stringify(value)
    const hint = `an operation is an object such as { "op": "deleteGsi", "table": "Orders", "indexName": "StatusIndex" }; ${OPERATIONS_DOC}`
    return [{ path: at, message: `expected an operation (an object), found ${found}`, hint }]
  }
  const kinds = OPERATION_KINDS.map((k) => JSON.stringify(k)).join(', ')
  if (!Object.hasOwn(value, 'op')) {
    return [
      {
        path: join(at, 'op'),
        message: 'missing required property "op"',
        hint: `add "op": one of ${kinds}`,
      },
    ]
  }
  const op = (value as { op: unknown }).op
  const schema = BY_KIND.get(op)
  if (schema === undefined) {
    const word = typeof op === 'string' ? op : ''
    const message = `${JSON.stringify(op)} is not an operation`
    return [
      {
        path: join(at, 'op'),
        message,
        hint: `${suggest(word, OPERATION_KINDS, 'operations')}; ${OPERATIONS_DOC}`,
      },
    ]
  }
  const parsed = schema.safeParse(value)
  if (parsed.success) return []
  const texts = describeZodIssues(parsed.error.issues, value, {
    schema,
    examples: OPERATION_EXAMPLES,
    fallbackHint: OPERATIONS_DOC,
  }).flatMap((t) => (t.path === 'table' ? tableNameIssues(value, t) : [t]))
  return texts.map((t) => ({ ...t, path: join(at, t.path) }))
}

/** A table name that is a string gets the words of the schemas' name rule instead of zod's. */
function tableNameIssues(value: object, text: IssueText): IssueText[] {
  const name = (value as { table?: unknown }).table
  if (typeof name !== 'string') return [text]
  const found: IssueText[] = []
  checkName(name, 'table', 'table', (path, message, hint) => found.push({ path, message, hint }))
  return found.length > 0 ? found : [text]
}
