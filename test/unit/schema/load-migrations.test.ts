import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  type LoadedMigration,
  loadMigrations,
  numberingIssues,
} from '../../../src/schema/load-migrations.js'
import type { MigrationFile } from '../../../src/schema/operation.js'
import { printedIssue } from '../../helpers/cli.js'
import { tempTree } from '../../helpers/temp-tree.js'

/** A temp project root with `files` (path → text, or a value written as JSON) and migrations/. */
async function project(files: Record<string, unknown>): Promise<string> {
  const root = await tempTree('ddbm-migrations-', files)
  await mkdir(path.join(root, 'migrations'), { recursive: true })
  return root
}

async function load(files: Record<string, unknown>) {
  const root = await project(files)
  return loadMigrations(path.join(root, 'migrations'), { root })
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

const CREATE: MigrationFile = {
  version: 1,
  description: 'create the items table',
  up: [
    {
      op: 'createTable',
      table: 'items',
      definition: {
        TableName: 'items',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    },
  ],
  down: [{ op: 'deleteTable', table: 'items' }],
}

const EMPTY: MigrationFile = { version: 1, up: [], down: [] }

const BACKFILL_TS = `export async function up(): Promise<void> {}\nexport async function down(): Promise<void> {}\n`

describe('valid migrations', () => {
  test('json and ts files sorted by name, with number, kind, file and sha256 checksum', async () => {
    const createText = JSON.stringify(CREATE, null, 2)
    const tagText = JSON.stringify({
      $schema: '../schema/migration.schema.json',
      version: 1,
      up: [{ op: 'tag', table: 'items', tags: [{ Key: 'Owner', Value: 'team-a' }] }],
      down: [{ op: 'untag', table: 'items', keys: ['Owner'] }],
    })
    // written out of order: the result is sorted by name
    const root = await project({
      'migrations/0003_tag_items.json': tagText,
      'migrations/0002_backfill-items.ts': BACKFILL_TS,
      'migrations/0001_create_items.json': createText,
      'migrations/README.md': '# Migrations\n',
      'migrations/.gitkeep': '',
    })
    const dir = path.join(root, 'migrations')
    expect(await loadMigrations(dir, { root })).toStrictEqual({
      migrations: [
        {
          name: '0001_create_items',
          number: 1,
          kind: 'json',
          file: 'migrations/0001_create_items.json',
          absolutePath: path.join(dir, '0001_create_items.json'),
          checksum: sha256(createText),
          content: CREATE,
        },
        {
          name: '0002_backfill-items',
          number: 2,
          kind: 'ts',
          file: 'migrations/0002_backfill-items.ts',
          absolutePath: path.join(dir, '0002_backfill-items.ts'),
          checksum: sha256(BACKFILL_TS),
        },
        {
          name: '0003_tag_items',
          number: 3,
          kind: 'json',
          file: 'migrations/0003_tag_items.json',
          absolutePath: path.join(dir, '0003_tag_items.json'),
          checksum: sha256(tagText),
          content: {
            $schema: '../schema/migration.schema.json',
            version: 1,
            up: [{ op: 'tag', table: 'items', tags: [{ Key: 'Owner', Value: 'team-a' }] }],
            down: [{ op: 'untag', table: 'items', keys: ['Owner'] }],
          },
        },
      ],
      issues: [],
    })
  })

  test('the checksum is of the bytes: reformatting the JSON changes it', async () => {
    const compact = JSON.stringify(EMPTY)
    const pretty = JSON.stringify(EMPTY, null, 2)
    const a = await load({ 'migrations/0001_x.json': compact })
    const b = await load({ 'migrations/0001_x.json': pretty })
    expect(a.migrations.map((m) => m.checksum)).toStrictEqual([sha256(compact)])
    expect(b.migrations.map((m) => m.checksum)).toStrictEqual([sha256(pretty)])
    expect(a.migrations[0]?.content).toStrictEqual(b.migrations[0]?.content)
  })

  test('a missing directory is no migrations and no issues', async () => {
    const root = await project({})
    expect(await loadMigrations(path.join(root, 'nowhere'), { root })).toStrictEqual({
      migrations: [],
      issues: [],
    })
  })

  test('an empty directory is no migrations and no issues', async () => {
    expect(await load({})).toStrictEqual({ migrations: [], issues: [] })
  })

  test('README.md and other .md files are ignored, subdirectories too', async () => {
    const result = await load({
      'migrations/README.md': '# How to write a migration',
      'migrations/NOTES.md': 'notes',
      'migrations/drafts/0002_draft.json': EMPTY,
      'migrations/0001_first.json': EMPTY,
    })
    expect(result.issues).toStrictEqual([])
    expect(result.migrations.map((m) => m.name)).toStrictEqual(['0001_first'])
  })
})

describe('file names', () => {
  test('a file not named NNNN_name.json|ts is an issue and is not loaded', async () => {
    const result = await load({
      'migrations/0001_first.json': EMPTY,
      'migrations/0002_AddIndex.json': EMPTY,
      'migrations/2_second.json': EMPTY,
      'migrations/0002_second.yaml': 'version: 1',
      'migrations/notes.txt': 'todo',
    })
    expect(result.migrations.map((m) => m.name)).toStrictEqual(['0001_first'])
    expect(result.issues.map((i) => i.file)).toStrictEqual([
      'migrations/0002_AddIndex.json',
      'migrations/0002_second.yaml',
      'migrations/2_second.json',
      'migrations/notes.txt',
    ])
    expect(result.issues.map(printedIssue)[0]).toMatchInlineSnapshot(`
      "migrations/0002_AddIndex.json: is not named like a migration (NNNN_name.json or NNNN_name.ts)
        hint: rename it, e.g. 0007_add_status_index.json, or move it out of migrations/"
    `)
  })
})

describe('numbering', () => {
  test('two files with the same number', async () => {
    const result = await load({
      'migrations/0001_create_items.json': EMPTY,
      'migrations/0001_create_users.json': EMPTY,
      'migrations/0002_tag.json': EMPTY,
    })
    expect(result.migrations).toHaveLength(3)
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_create_users.json: has the same number as migrations/0001_create_items.json
        hint: renumber one of them; the next free number is 0003",
      ]
    `)
  })

  test('a gap', async () => {
    const result = await load({
      'migrations/0001_a.json': EMPTY,
      'migrations/0002_b.ts': BACKFILL_TS,
      'migrations/0004_d.json': EMPTY,
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0004_d.json: follows migrations/0002_b.ts: number 0003 is missing
        hint: renumber it to 0003, or restore the missing migration",
      ]
    `)
  })

  test('a first migration not numbered 0001', async () => {
    const result = await load({
      'migrations/0002_b.json': EMPTY,
      'migrations/0003_c.json': EMPTY,
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0002_b.json: is the first migration but is numbered 0002
        hint: number the first migration 0001",
      ]
    `)
  })

  test('numberingIssues of well-numbered migrations is empty', () => {
    expect(numberingIssues([])).toStrictEqual([])
    expect(numberingIssues([migration(1), migration(2), migration(3)])).toStrictEqual([])
  })

  test('numberingIssues reports each problem on the later file', () => {
    expect(numberingIssues([migration(1), migration(1, 'b'), migration(3)])).toStrictEqual([
      {
        file: 'migrations/0001_b.json',
        path: '',
        message: 'has the same number as migrations/0001_a.json',
        hint: 'renumber one of them; the next free number is 0004',
      },
      {
        file: 'migrations/0003_a.json',
        path: '',
        message: 'follows migrations/0001_b.json: number 0002 is missing',
        hint: 'renumber it to 0002, or restore the missing migration',
      },
    ])
  })
})

describe('content', () => {
  test('invalid JSON is an issue with line and column; the migration is listed without content', async () => {
    const text = '{\n  "version": 1,\n  "up": [],\n  "down": [],\n}\n'
    const result = await load({ 'migrations/0001_broken.json': text })
    expect(result.migrations).toStrictEqual([
      {
        name: '0001_broken',
        number: 1,
        kind: 'json',
        file: 'migrations/0001_broken.json',
        absolutePath: expect.stringMatching(/0001_broken\.json$/),
        checksum: sha256(text),
      },
    ])
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_broken.json: is not valid JSON: Expected double-quoted property name (line 5, column 1)
        hint: fix the JSON syntax at line 5, column 1; JSON allows no comments, no trailing commas and only double-quoted strings",
      ]
    `)
  })

  test('an empty file', async () => {
    const result = await load({ 'migrations/0001_empty.json': '' })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_empty.json: is empty
        hint: write { "version": 1, "up": [], "down": [] }",
      ]
    `)
  })

  test('an unknown op', async () => {
    const result = await load({
      'migrations/0001_create.json': {
        version: 1,
        up: [{ op: 'createTabel', table: 'items' }],
        down: [],
      },
    })
    expect(result.migrations[0]?.content).toBeUndefined()
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_create.json: up[0].op: "createTabel" is not an operation
        hint: did you mean "createTable"? operations: "createTable", "createGsi", "deleteTable", "updateTtl", "updateSse", "deleteGsi", "updatePitr", "updateStream", "updateTableClass", "tag", "untag", "updateBilling", "updateDeletionProtection"; see ddbm's docs/migration-format.md#operations for the operations and their fields",
      ]
    `)
  })

  test('a misspelt property of the file', async () => {
    const result = await load({
      'migrations/0001_create.json': { version: 1, up: [], dwon: [] },
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_create.json: dwon: unknown property "dwon"
        hint: did you mean "down"? allowed properties: "down", "up", "version", "notes", "$schema", "description", "irreversible"",
      ]
    `)
  })

  test('a misspelt property of an operation', async () => {
    const result = await load({
      'migrations/0001_create.json': {
        version: 1,
        up: [{ op: 'deleteTable', tabel: 'items' }],
        down: [],
      },
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_create.json: up[0].tabel: unknown property "tabel"
        hint: did you mean "table"? allowed properties: "table", "op"",
      ]
    `)
  })

  test('a wrong version and a root that is not an object', async () => {
    const result = await load({
      'migrations/0001_a.json': { version: 2, up: [], down: [] },
      'migrations/0002_b.json': [],
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_a.json: version: 2 is not a valid version
        hint: write 1, the only allowed value",
        "migrations/0002_b.json: expected an object, found an array
        hint: a migration is one JSON object: { "version": 1, "up": [...], "down": [...] }",
      ]
    `)
  })

  test('issues are sorted by file, then path', async () => {
    const result = await load({
      'migrations/0002_b.json': {
        version: 1,
        up: [
          { op: 'deleteTable', table: 'items' },
          { op: 'deleteTable', table: 'x' },
        ],
        down: [{ op: 'deleteTable' }],
      },
      'migrations/0001_a.json': '{',
      'migrations/0004_d.json': EMPTY,
    })
    expect(result.issues.map((i) => [i.file, i.path])).toStrictEqual([
      ['migrations/0001_a.json', ''],
      ['migrations/0002_b.json', 'down[0].table'],
      ['migrations/0002_b.json', 'up[1].table'],
      ['migrations/0004_d.json', ''],
    ])
  })
})

const ADD_INDEX = {
  op: 'createGsi',
  table: 'items',
  index: {
    IndexName: 'byStatus',
    KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  },
  attributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
}

describe('a down for every up', () => {
  test('an empty down for a non-empty up is an issue on "down", with the undoing operation', async () => {
    const result = await load({
      'migrations/0001_index.json': { version: 1, up: [ADD_INDEX], down: [] },
    })
    expect(result.issues).toStrictEqual([
      {
        file: 'migrations/0001_index.json',
        path: 'down',
        message: 'is empty, but "up" has 1 operation: `ddbm migrate down` would revert nothing',
        hint: 'list the operations that undo "up", last first, e.g. { "op": "deleteGsi", "table": "items", "indexName": "byStatus" }; or, if "up" cannot be undone, add "irreversible": true',
      },
    ])
    // the file is loaded: its shape is valid
    expect(result.migrations[0]?.content?.up).toStrictEqual([ADD_INDEX])
  })

  test('"irreversible": true allows an empty down, and is kept in the content', async () => {
    const file = { version: 1, irreversible: true, up: [ADD_INDEX], down: [] }
    const result = await load({ 'migrations/0001_index.json': file })
    expect(result.issues).toStrictEqual([])
    expect(result.migrations[0]?.content).toStrictEqual(file)
  })

  test('"irreversible": true with a down is an issue on "irreversible"', async () => {
    const down = [{ op: 'deleteGsi', table: 'items', indexName: 'byStatus' }]
    const result = await load({
      'migrations/0001_index.json': { version: 1, irreversible: true, up: [ADD_INDEX], down },
    })
    expect(result.issues).toStrictEqual([
      {
        file: 'migrations/0001_index.json',
        path: 'irreversible',
        message: 'is true, but "down" has 1 operation',
        hint: 'remove "irreversible" (the migration can be reverted), or empty "down"',
      },
    ])
  })

  test('an empty migration, and one with both lists, need nothing more', async () => {
    const down = [{ op: 'deleteGsi', table: 'items', indexName: 'byStatus' }]
    const result = await load({
      'migrations/0001_empty.json': EMPTY,
      'migrations/0002_index.json': { version: 1, up: [ADD_INDEX], down },
    })
    expect(result.issues).toStrictEqual([])
  })
})

describe('did you mean, for ops and their fields', () => {
  test('a misspelt op of a known operation, in any case', async () => {
    const result = await load({
      'migrations/0001_index.json': {
        version: 1,
        up: [{ ...ADD_INDEX, op: 'createGSI' }],
        down: [{ op: 'deleteGsi', table: 'items', indexName: 'byStatus' }],
      },
    })
    expect(result.issues).toStrictEqual([
      {
        file: 'migrations/0001_index.json',
        path: 'up[0].op',
        message: '"createGSI" is not an operation',
        hint: 'did you mean "createGsi"? operations: "createGsi", "deleteGsi", "createTable", "updateSse", "updateTtl", "updatePitr", "tag", "untag", "deleteTable", "updateBilling", "updateStream", "updateTableClass", "updateDeletionProtection"; see ddbm\'s docs/migration-format.md#operations for the operations and their fields',
      },
    ])
  })

  test('an operation that is not an object, or has no op', async () => {
    const result = await load({
      'migrations/0001_a.json': { version: 1, up: ['createGsi', { table: 'items' }], down: [] },
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_a.json: up[0]: expected an operation (an object), found "createGsi"
        hint: an operation is an object such as { "op": "deleteGsi", "table": "Orders", "indexName": "StatusIndex" }; see ddbm's docs/migration-format.md#operations for the operations and their fields",
        "migrations/0001_a.json: up[1].op: missing required property "op"
        hint: add "op": one of "createTable", "deleteTable", "createGsi", "deleteGsi", "updateTtl", "updatePitr", "updateBilling", "updateStream", "updateSse", "updateDeletionProtection", "updateTableClass", "tag", "untag"",
      ]
    `)
  })

  test('a misspelt field inside a createGsi index', async () => {
    const index = { ...ADD_INDEX.index, Projecton: { ProjectionType: 'ALL' } }
    delete (index as { Projection?: unknown }).Projection
    const result = await load({
      'migrations/0001_index.json': {
        version: 1,
        up: [{ ...ADD_INDEX, index }],
        down: [{ op: 'deleteGsi', table: 'items', indexName: 'byStatus' }],
      },
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_index.json: up[0].index.Projecton: unknown property "Projecton"
        hint: did you mean "Projection"? allowed properties: "Projection", "IndexName", "KeySchema", "ProvisionedThroughput", "OnDemandThroughput"",
      ]
    `)
  })

  test('a table name outside the pattern', async () => {
    const result = await load({
      'migrations/0001_a.json': {
        version: 1,
        up: [{ op: 'deleteTable', table: 'my table' }],
        down: [],
      },
    })
    expect(result.issues.map(printedIssue)).toMatchInlineSnapshot(`
      [
        "migrations/0001_a.json: up[0].table: "my table" has characters outside [a-zA-Z0-9_.-]
        hint: use only letters, digits, "_", "-" and ".", e.g. "my-table"",
      ]
    `)
  })
})

/** A loaded json migration numbered `n`, for numberingIssues. */
function migration(n: number, word = 'a'): LoadedMigration {
  const name = `${String(n).padStart(4, '0')}_${word}`
  return {
    name,
    number: n,
    kind: 'json',
    file: `migrations/${name}.json`,
    absolutePath: `/project/migrations/${name}.json`,
    checksum: sha256(name),
  }
}
