import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { ConfigFile } from '../../src/config/config-file.js'
import { ERRORS } from '../../src/errors.js'
import { MigrationFile, Operation, OPERATION_KINDS } from '../../src/schema/operation.js'
import { checkTable } from '../../src/schema/rules.js'
import { reversibility } from '../../src/schema/rules/reversible.js'
import { SeedFixture } from '../../src/schema/seed-fixture.js'
import { TableSchema } from '../../src/schema/table-schema.js'

/** The parsed ```json blocks of a page under docs/, in order. */
function jsonBlocks(page: string): unknown[] {
  const text = readFileSync(fileURLToPath(new URL(`../../docs/${page}`, import.meta.url)), 'utf8')
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? ''))
}

/** The zod issues of `value` against `schema`, as "path: message" lines (empty when it parses). */
function problems(
  schema: { safeParse(v: unknown): { error?: { issues: unknown[] } } },
  value: unknown,
) {
  return (schema.safeParse(value).error?.issues ?? []).map((i) => JSON.stringify(i))
}

describe('the examples of the reference pages are valid', () => {
  test('config.md: the example config parses', () => {
    const [config] = jsonBlocks('config.md')
    expect(problems(ConfigFile, config)).toStrictEqual([])
  })

  test("schema-format.md: the example table parses and passes validate's rules", () => {
    const [table] = jsonBlocks('schema-format.md')
    expect(problems(TableSchema, table)).toStrictEqual([])
    expect(checkTable(TableSchema.parse(table), 'schemas/Orders.json')).toStrictEqual([])
  })

  test('migration-format.md: the file skeleton, an irreversible one, one example of every operation', () => {
    const [file, irreversible, ...ops] = jsonBlocks('migration-format.md')
    expect(problems(MigrationFile, file)).toStrictEqual([])
    expect(problems(MigrationFile, irreversible)).toStrictEqual([])
    expect(reversibility(MigrationFile.parse(irreversible))).toStrictEqual([])
    for (const op of ops) expect(problems(Operation, op), JSON.stringify(op)).toStrictEqual([])
    expect(ops.map((op) => (op as { op: string }).op)).toStrictEqual(OPERATION_KINDS)
  })

  test('seeding.md: the example fixture parses', () => {
    const [fixture] = jsonBlocks('seeding.md')
    expect(problems(SeedFixture, fixture)).toStrictEqual([])
  })
})

test("the README's table of error codes lists every code of the catalogue", () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
  const listed = new Set<string>()
  for (const row of readme.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) +\| [\d, ]+ +\|/gm)) {
    for (const code of (row[1] ?? '').matchAll(/`([A-Z_]+)`/g)) listed.add(code[1] ?? '')
  }
  expect(Object.keys(ERRORS).filter((code) => !listed.has(code))).toStrictEqual([])
})
