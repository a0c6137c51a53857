import { describe, expect, test } from 'vitest'
import type { PullResult } from '../../../src/api/index.js'
import { renderPull } from '../../../src/cli/render-verify.js'
import { Reporter } from '../../../src/cli/reporter.js'
import { DdbmError } from '../../../src/errors.js'
import type { Event } from '../../../src/events.js'

function stderrOf(events: Event[], fatal?: unknown): string {
  let err = ''
  const reporter = new Reporter(
    { json: false, quiet: false, verbose: false },
    { write: () => undefined },
    { write: (t: string) => (err += t) },
    {},
  )
  for (const e of events) reporter.emit(e)
  if (fatal !== undefined) reporter.fatal(fatal)
  return err
}

describe('step lines say what happened', () => {
  test('a created table is done; the parts the endpoint lacks are listed apart', () => {
    expect(
      stderrOf([
        {
          kind: 'step',
          table: 'Candidates-local',
          op: 'createTable',
          status: 'done',
          detail: 'created, TTL enabled on expiresAt',
          unsupported: ['sse', 'pitr', 'tags'],
        },
        {
          kind: 'step',
          table: 'Old-local',
          op: 'deleteTable',
          status: 'skipped',
          detail: 'already gone',
        },
        {
          kind: 'step',
          table: 'Old-local',
          op: 'updatePitr',
          status: 'unsupported',
          detail: 'PITR: the endpoint does not implement it',
        },
      ]),
    ).toBe(
      [
        '  done        createTable Candidates-local: created, TTL enabled on expiresAt; not supported by this endpoint: SSE, PITR, tags',
        '  skipped     deleteTable Old-local: already gone',
        '  unsupported updatePitr Old-local: PITR: the endpoint does not implement it',
        '',
      ].join('\n'),
    )
  })
})

const conflict: PullResult = {
  dryRun: false,
  written: ['schemas/Customers.json'],
  unchanged: ['schemas/Items.json'],
  conflicts: ['schemas/Orders.json'],
  tables: [
    {
      table: 'Customers',
      physical: 'Customers-dev',
      file: 'schemas/Customers.json',
      status: 'new',
      written: true,
      diff: ['@@ -0,0 +1,2 @@', '+{', '+}'],
      unreported: ['pitr', 'tags'],
      notes: [],
    },
    {
      table: 'Items',
      physical: 'Items-dev',
      file: 'schemas/Items.json',
      status: 'unchanged',
      written: false,
      diff: [],
      unreported: ['pitr', 'tags'],
      notes: [],
    },
    {
      table: 'Orders',
      physical: 'Orders-dev',
      file: 'schemas/Orders.json',
      status: 'changed',
      written: false,
      diff: ['@@ -3,3 +3,2 @@', '   "a": 1,', '-  "b": 2,', '   "c": 3'],
      unreported: [],
      notes: [],
    },
  ],
  skipped: ['ddbm_migrations-dev'],
}

describe('db pull report', () => {
  test('each file: written, unchanged, or left as it is with the diff; then what the endpoint could not report', () => {
    expect(renderPull(conflict)).toBe(
      [
        'wrote schemas/Customers.json (new)',
        'unchanged schemas/Items.json',
        'not written schemas/Orders.json: it differs from Orders-dev',
        '    @@ -3,3 +3,2 @@',
        '       "a": 1,',
        '    -  "b": 2,',
        '       "c": 3',
        'not reported by this endpoint: PITR, tags (kept as the file says; left out of a new file): schemas/Customers.json, schemas/Items.json',
        "skipped 1 (the meta table, or not named by this environment's template): ddbm_migrations-dev",
      ].join('\n'),
    )
  })

  test('a dry run says what would be written', () => {
    const tables = conflict.tables.map((t) => ({ ...t, written: false }))
    expect(
      renderPull({ ...conflict, dryRun: true, written: [], conflicts: [], tables }).split('\n'),
    ).toStrictEqual(
      expect.arrayContaining([
        'would write schemas/Customers.json (new)',
        '    +{',
        'would change schemas/Orders.json (needs --force): it differs from Orders-dev',
      ]),
    )
  })

  test('PULL_CONFLICT prints the report above the error', () => {
    const err = stderrOf(
      [],
      new DdbmError('PULL_CONFLICT', '1 schema file differs', { result: conflict }),
    )
    expect(err.startsWith(`${renderPull(conflict)}\nerror: 1 schema file differs\nhint: `)).toBe(
      true,
    )
  })
})
