import { describe, expect, test } from 'vitest'
import { checkHistory, type HistoryFile, type HistoryRecord } from '../../../src/plan/history.js'

const SUM_1 = '1111111111111111111111111111111111111111111111111111111111111111'
const SUM_2 = '2222222222222222222222222222222222222222222222222222222222222222'
const SUM_3 = '3333333333333333333333333333333333333333333333333333333333333333'
const EDITED = '9f1c0000aaaabbbbccccddddeeeeffff00001111222233334444555566667777'

function file(name: string, checksum: string, ext = 'json'): HistoryFile {
  return { name, file: `migrations/${name}.${ext}`, checksum }
}

function applied(name: string, checksum: string, day: string): HistoryRecord {
  return {
    name,
    checksum,
    status: 'applied',
    startedAt: `2026-03-${day}T10:00:00.000Z`,
    finishedAt: `2026-03-${day}T10:00:01.250Z`,
    durationMs: 1250,
    appliedBy: 'ci@build-417',
  }
}

const F1 = file('0001_create_tables', SUM_1)
const F2 = file('0002_backfill', SUM_2, 'ts')
const F3 = file('0003_add_gsi', SUM_3)
const R1 = applied('0001_create_tables', SUM_1, '01')
const R2 = applied('0002_backfill', SUM_2, '02')
const R3 = applied('0003_add_gsi', SUM_3, '03')
const FILES = [F1, F2, F3]
const RECORDS = [R1, R2, R3]

describe('no problems', () => {
  test('nothing at all', () => {
    expect(checkHistory([], [])).toStrictEqual({ rows: [], problems: [] })
  })

  test('all applied and unchanged: rows applied, with when, by whom and duration', () => {
    expect(checkHistory(FILES, RECORDS)).toStrictEqual({
      rows: [
        {
          name: '0001_create_tables',
          file: 'migrations/0001_create_tables.json',
          state: 'applied',
          appliedAt: '2026-03-01T10:00:01.250Z',
          appliedBy: 'ci@build-417',
          durationMs: 1250,
        },
        {
          name: '0002_backfill',
          file: 'migrations/0002_backfill.ts',
          state: 'applied',
          appliedAt: '2026-03-02T10:00:01.250Z',
          appliedBy: 'ci@build-417',
          durationMs: 1250,
        },
        {
          name: '0003_add_gsi',
          file: 'migrations/0003_add_gsi.json',
          state: 'applied',
          appliedAt: '2026-03-03T10:00:01.250Z',
          appliedBy: 'ci@build-417',
          durationMs: 1250,
        },
      ],
      problems: [],
    })
  })

  test('new files after the last applied one are pending', () => {
    const files = [...FILES, file('0004_add_ttl', 'aaaa')]
    expect(checkHistory(files, [R1, R2])).toStrictEqual({
      rows: [
        expect.objectContaining({ name: '0001_create_tables', state: 'applied' }),
        expect.objectContaining({ name: '0002_backfill', state: 'applied' }),
        { name: '0003_add_gsi', file: 'migrations/0003_add_gsi.json', state: 'pending' },
        { name: '0004_add_ttl', file: 'migrations/0004_add_ttl.json', state: 'pending' },
      ],
      problems: [],
    })
  })

  test('a failed migration whose file changed is failed, not a problem (that is how it is fixed)', () => {
    const failed: HistoryRecord = {
      name: '0003_add_gsi',
      checksum: SUM_3,
      status: 'failed',
      startedAt: '2026-03-03T10:00:00.000Z',
      appliedBy: 'ci@build-418',
      error: 'ValidationException: attribute "status" is not defined',
    }
    const files = [F1, F2, file('0003_add_gsi', EDITED)]
    expect(checkHistory(files, [R1, R2, failed])).toStrictEqual({
      rows: [
        expect.objectContaining({ name: '0001_create_tables', state: 'applied' }),
        expect.objectContaining({ name: '0002_backfill', state: 'applied' }),
        {
          name: '0003_add_gsi',
          file: 'migrations/0003_add_gsi.json',
          state: 'failed',
          appliedAt: '2026-03-03T10:00:00.000Z',
          appliedBy: 'ci@build-418',
          error: 'ValidationException: attribute "status" is not defined',
        },
      ],
      problems: [],
    })
  })
})

describe('MIGRATION_CHANGED', () => {
  test('an applied migration whose checksum changed', () => {
    const files = [F1, F2, file('0003_add_gsi', EDITED)]
    const { rows, problems } = checkHistory(files, RECORDS)
    expect(rows.map((r) => [r.name, r.state])).toStrictEqual([
      ['0001_create_tables', 'applied'],
      ['0002_backfill', 'applied'],
      ['0003_add_gsi', 'changed'],
    ])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.code).toBe('MIGRATION_CHANGED')
    expect(problems[0]?.name).toBe('0003_add_gsi')
    expect(problems[0]?.message).toMatchInlineSnapshot(
      `"migrations/0003_add_gsi.json was applied 2026-03-03T10:00:01.250Z by ci@build-417 with checksum 333333333333…; the file now hashes to 9f1c0000aaaa…"`,
    )
    expect(problems[0]?.hint).toMatchInlineSnapshot(
      `"applied migrations are immutable; restore the file (git checkout -- migrations/0003_add_gsi.json) and add a new migration instead"`,
    )
  })

  test('uses startedAt when the record has no finishedAt', () => {
    const record: HistoryRecord = {
      name: '0001_create_tables',
      checksum: SUM_1,
      status: 'applied',
      startedAt: '2026-03-01T10:00:00.000Z',
      appliedBy: 'alice@laptop',
    }
    const { problems } = checkHistory([file('0001_create_tables', EDITED)], [record])
    expect(problems.map((p) => p.message)).toStrictEqual([
      'migrations/0001_create_tables.json was applied 2026-03-01T10:00:00.000Z by alice@laptop with checksum 111111111111…; the file now hashes to 9f1c0000aaaa…',
    ])
  })
})

describe('MIGRATION_MISSING', () => {
  test('a record whose file is gone', () => {
    const { rows, problems } = checkHistory([F1, F2], RECORDS)
    expect(rows[2]).toStrictEqual({
      name: '0003_add_gsi',
      state: 'missing',
      appliedAt: '2026-03-03T10:00:01.250Z',
      appliedBy: 'ci@build-417',
      durationMs: 1250,
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]?.code).toBe('MIGRATION_MISSING')
    expect(problems[0]?.name).toBe('0003_add_gsi')
    expect(problems[0]?.message).toMatchInlineSnapshot(
      `"0003_add_gsi is recorded as applied (2026-03-03T10:00:01.250Z, by ci@build-417) but its file is gone"`,
    )
    expect(problems[0]?.hint).toMatchInlineSnapshot(
      `"restore the file from git; if its changes were really undone, run \`ddbm migrate resolve 0003_add_gsi --rolled-back\`"`,
    )
  })
})

describe('MIGRATION_ORDER', () => {
  test('a new file that sorts before the last applied one', () => {
    const files = [F1, file('0001_seed_lookup', 'aaaa', 'ts'), F2, F3]
    const { rows, problems } = checkHistory(files, RECORDS)
    expect(rows.map((r) => [r.name, r.state])).toStrictEqual([
      ['0001_create_tables', 'applied'],
      ['0001_seed_lookup', 'pending'],
      ['0002_backfill', 'applied'],
      ['0003_add_gsi', 'applied'],
    ])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.code).toBe('MIGRATION_ORDER')
    expect(problems[0]?.name).toBe('0001_seed_lookup')
    expect(problems[0]?.message).toMatchInlineSnapshot(
      `"migrations/0001_seed_lookup.ts is new, but sorts before 0003_add_gsi, which is already applied"`,
    )
    expect(problems[0]?.hint).toMatchInlineSnapshot(
      `"renumber it after the last applied migration (\`ddbm migrate create\` picks the next number)"`,
    )
  })

  test('only applied records count as the last applied one', () => {
    const running: HistoryRecord = { ...R3, status: 'running' }
    const files = [F1, file('0002_other', 'aaaa'), F3]
    const { problems } = checkHistory(files, [R1, running])
    expect(problems).toStrictEqual([])
  })
})

test('rows are sorted by name and show every state', () => {
  const files = [
    file('0006_pending', 'aaaa'),
    file('0005_running', 'bbbb'),
    file('0004_failed', 'cccc'),
    file('0003_changed', EDITED),
    file('0001_applied', SUM_1),
  ]
  const records: HistoryRecord[] = [
    { ...applied('0005_running', 'bbbb', '05'), status: 'running' },
    { ...applied('0004_failed', 'old', '04'), status: 'failed' },
    applied('0003_changed', SUM_3, '03'),
    applied('0002_missing', SUM_2, '02'),
    applied('0001_applied', SUM_1, '01'),
  ]
  const { rows, problems } = checkHistory(files, records)
  expect(rows.map((r) => [r.name, r.state, r.file])).toStrictEqual([
    ['0001_applied', 'applied', 'migrations/0001_applied.json'],
    ['0002_missing', 'missing', undefined],
    ['0003_changed', 'changed', 'migrations/0003_changed.json'],
    ['0004_failed', 'failed', 'migrations/0004_failed.json'],
    ['0005_running', 'running', 'migrations/0005_running.json'],
    ['0006_pending', 'pending', 'migrations/0006_pending.json'],
  ])
  expect(problems.map((p) => [p.code, p.name])).toStrictEqual([
    ['MIGRATION_CHANGED', '0003_changed'],
    ['MIGRATION_MISSING', '0002_missing'],
  ])
})
