import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { Issue } from '../../issues.js'
import { parseJson } from '../../schema/json-file.js'
import { SeedFixture } from '../../schema/seed-fixture.js'
import type { Item, LoadedSeed } from '../../seed/define-seed.js'
import { describeZodIssues } from '../../zod-issues.js'

const EXAMPLES: Record<string, string> = {
  version: '1',
  table: '"items"',
  format: '"plain"',
  environments: '["local", "dev"]',
  items: '[{ "id": "a1", "status": "active" }]',
}

/**
 * A static fixture from the text of `file` (relative to the root): its LoadedSeed, whose definition has
 * `count` = the number of items and a `generate` that returns a copy of item `i`, or the Issues of the
 * file. Items in the `dynamodb` format are converted with unmarshall of @aws-sdk/util-dynamodb (binary
 * values given as base64 text become bytes); an item that does not convert is an Issue at `items[i]`.
 */
export function parseFixture(text: string, file: string): { seed?: LoadedSeed; issues: Issue[] } {
  const parsed = parseJson(
    text,
    file,
    'write { "version": 1, "table": "<table>", "items": [...] }, or delete the file',
  )
  if ('issue' in parsed) return { issues: [parsed.issue] }
  const result = SeedFixture.safeParse(parsed.data)
  if (!result.success) {
    const texts = describeZodIssues(result.error.issues, parsed.data, {
      schema: SeedFixture,
      examples: EXAMPLES,
      rootHint:
        'a fixture is one JSON object: { "version": 1, "table": "<table>", "items": [...] }',
      fallbackHint: "see ddbm's docs/seeding.md for the fixture format",
    })
    return { issues: texts.map((t) => ({ file, ...t })) }
  }
  const fixture = result.data
  const issues: Issue[] = []
  const items: Item[] = []
  fixture.items.forEach((raw, i) => {
    if (fixture.format !== 'dynamodb') {
      items.push(raw)
      return
    }
    try {
      items.push(unmarshall(withBinary(raw) as Record<string, AttributeValue>))
    } catch (err) {
      issues.push({
        file,
        path: `items[${i}]`,
        message: `is not DynamoDB AttributeValue JSON: ${err instanceof Error ? err.message : String(err)}`,
        hint: 'write every attribute as { "S": "text" }, { "N": "12" }, { "BOOL": true }, { "M": {...} }, { "L": [...] }, ... or use "format": "plain"',
      })
    }
  })
  if (issues.length > 0) return { issues }
  const seed: LoadedSeed = {
    file,
    kind: 'fixture',
    definition: {
      table: fixture.table,
      count: items.length,
      ...(fixture.environments === undefined ? {} : { environments: fixture.environments }),
      generate: ({ i }) => structuredClone(items[i] ?? {}),
    },
  }
  return { seed, issues: [] }
}

/** AttributeValue JSON with `B` / `BS` base64 texts turned into bytes, as unmarshall expects. */
function withBinary(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withBinary)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    if (key === 'B' && typeof v === 'string') out[key] = bytes(v)
    else if (key === 'BS' && Array.isArray(v))
      out[key] = v.map((b) => (typeof b === 'string' ? bytes(b) : b))
    else out[key] = withBinary(v)
  }
  return out
}

function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'))
}
