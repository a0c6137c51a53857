import { describe, expect, test } from 'vitest'
import { ZERO_COUNTS } from '../../../src/backfill/segments.js'
import type { BackfillEvent } from '../../../src/events.js'
import { BackfillProgress, formatEta, progressText } from '../../../src/cli/backfill-progress.js'
import {
  formatBytes,
  renderBackfillStatus,
  renderBackfillSummary,
  renderDryRunBackfill,
} from '../../../src/cli/render-backfills.js'
import type { MigrateResult } from '../../../src/api/index.js'

type DryRun = NonNullable<MigrateResult['dryRunBackfills']>[number]
type Result = NonNullable<MigrateResult['backfills']>[number]

const event: BackfillEvent = {
  kind: 'backfill',
  migration: '0003_backfill_active_flag',
  name: 'backfill',
  table: 'Candidates-dev',
  status: 'progress',
  role: 'coordinator',
  segmentsDone: 3,
  segments: 8,
  mine: 5,
  scanned: 12_345,
  written: 4000,
  skipped: 10,
  itemsPerSec: 2300.4,
  readUnitsPerSec: 120,
  writeUnitsPerSec: 300,
  etaSeconds: 79.2,
  throttles: 0,
}

describe('backfill progress', () => {
  test('the progress line', () => {
    expect(progressText(event)).toStrictEqual(
      'backfill 0003_backfill_active_flag/backfill: 3/8 segments, 12,345 scanned (2,300/s), 4,000 written, 120 RCU/s, 300 WCU/s, ETA 1m 20s',
    )
    expect(
      progressText({ ...event, status: 'done', segmentsDone: 8, throttles: 2, etaSeconds: 0 }),
    ).toStrictEqual(
      'backfill 0003_backfill_active_flag/backfill: 8/8 segments, 12,345 scanned (2,300/s), 4,000 written, 120 RCU/s, 300 WCU/s, 2 throttled, done',
    )
  })

  test('formatEta', () => {
    expect([0.2, 45, 80, 3599, 7500].map(formatEta)).toStrictEqual([
      '1s',
      '45s',
      '1m 20s',
      '59m 59s',
      '2h 05m',
    ])
  })

  test('on a terminal: one line redrawn in place, then the final line', () => {
    const out: string[] = []
    const p = new BackfillProgress({ write: (t: string) => out.push(t), isTTY: true }, () => 0)
    p.handle({ ...event, status: 'start', resumed: 2, segmentsDone: 1 })
    p.handle(event)
    p.handle({ ...event, scanned: 20_000 })
    p.handle({ ...event, status: 'done', segmentsDone: 8 })
    expect(out.join('')).toStrictEqual(
      'backfill 0003_backfill_active_flag/backfill: started on Candidates-dev, 8 segments, 1 done, 2 resumed from a checkpoint\n' +
        `\r\x1b[2K${progressText(event)}` +
        `\r\x1b[2K${progressText({ ...event, scanned: 20_000 })}` +
        `\r\x1b[2K${progressText({ ...event, status: 'done', segmentsDone: 8 })}\n`,
    )
  })

  test('elsewhere: a line at the start, at most every 10 s, and at the end', () => {
    const out: string[] = []
    let now = 0
    const p = new BackfillProgress({ write: (t: string) => out.push(t) }, () => now)
    p.handle({ ...event, status: 'start' })
    for (now = 2000; now <= 21_000; now += 2000) p.handle({ ...event, scanned: now })
    p.handle({ ...event, status: 'waiting' })
    p.handle({ ...event, status: 'done', segmentsDone: 8 })
    expect(out.join('')).toStrictEqual(
      [
        'backfill 0003_backfill_active_flag/backfill: started on Candidates-dev, 8 segments, 3 done',
        progressText({ ...event, scanned: 10_000 }),
        progressText({ ...event, scanned: 20_000 }),
        'backfill 0003_backfill_active_flag/backfill: no segment left to claim; waiting for the other workers (3/8 segments done)',
        progressText({ ...event, status: 'done', segmentsDone: 8 }),
        '',
      ].join('\n'),
    )
  })
})

const dryRun: DryRun = {
  migration: '0003_backfill_active_flag',
  name: 'backfill',
  table: 'Candidates-dev',
  segments: 4,
  missing: false,
  sample: { scanned: 150, matched: 100, writes: 60, skips: 40 },
  examples: [
    {
      action: 'update',
      key: { PK: 'C#1' },
      before: { PK: 'C#1', status: 'PENDING' },
      after: { PK: 'C#1', status: 'PENDING', activeFlag: 'Y' },
      condition: '#s = :pending',
    },
    { action: 'update', key: { PK: 'C#2' }, before: { PK: 'C#2' }, expression: 'ADD n :one' },
    { action: 'delete', key: { PK: 'C#3' }, before: { PK: 'C#3' }, after: null },
  ],
  estimate: {
    items: 50_000,
    tableBytes: 12_897_485,
    readUnits: 1575,
    writes: 20_000,
    writeUnits: 20_000,
    rate: { readPerSec: 100, writePerSec: 50 },
    seconds: 400,
  },
}

describe('dry run of a backfill', () => {
  test('the sample, three examples before / after, the estimate at the rate', () => {
    expect(renderDryRunBackfill(dryRun).join('\n')).toStrictEqual(
      [
        '  backfill backfill of Candidates-dev, 4 segments: sampled 100 item(s) (150 scanned): 60 would be written, 40 skipped',
        '    update {"PK":"C#1"} if #s = :pending',
        '      before {"PK":"C#1","status":"PENDING"}',
        '      after  {"PK":"C#1","status":"PENDING","activeFlag":"Y"}',
        '    update {"PK":"C#2"}',
        '      before {"PK":"C#2"}',
        '      after  expression ADD n :one',
        '    delete {"PK":"C#3"}',
        '      before {"PK":"C#3"}',
        '      after  (deleted)',
        '  estimate: 50,000 items (12.3 MB), 1,575 read units, 20,000 writes of 20,000 write units; at 100 RCU/s, 50 WCU/s: about 6m 40s',
      ].join('\n'),
    )
  })

  test('no rate: unlimited; a missing table: nothing sampled', () => {
    const estimate = {
      ...dryRun.estimate!,
      rate: { readPerSec: null, writePerSec: null },
      seconds: null,
    }
    expect(renderDryRunBackfill({ ...dryRun, examples: [], estimate }).at(-1)).toStrictEqual(
      '  estimate: 50,000 items (12.3 MB), 1,575 read units, 20,000 writes of 20,000 write units; rate unlimited',
    )
    const { estimate: _e, ...rest } = dryRun
    expect(
      renderDryRunBackfill({
        ...rest,
        index: 'ByStatus',
        missing: true,
        examples: [],
        sample: { scanned: 0, matched: 0, writes: 0, skips: 0 },
      }),
    ).toStrictEqual([
      '  backfill backfill of Candidates-dev (index ByStatus), 4 segments: the table does not exist yet (a pending migration creates it); nothing sampled',
    ])
  })

  test('formatBytes', () => {
    expect([512, 4608, 12_897_485, 2 ** 31].map(formatBytes)).toStrictEqual([
      '512 B',
      '4.5 KB',
      '12.3 MB',
      '2.0 GB',
    ])
  })
})

const result: Result = {
  migration: '0003_backfill_active_flag',
  name: 'backfill',
  table: 'Candidates-dev',
  segments: 8,
  resumedSegments: 2,
  counts: { ...ZERO_COUNTS, scanned: 50_000, matched: 20_000, written: 19_990, skipped: 10 },
  mine: { ...ZERO_COUNTS, scanned: 30_000, readUnits: 900, writeUnits: 12_000 },
  seconds: 12.34,
  itemsPerSec: 2431.2,
  rate: { readPerSec: 100, writePerSec: null },
  achieved: { readUnitsPerSec: 72.9, writeUnitsPerSec: 972.4 },
  throttles: 3,
  check: { sampled: 100, converged: 100, unknown: 0, notConverged: 0, examples: [] },
}

describe('summary after a backfill', () => {
  test('counts, time, speed and units against the rate, throttles, the check', () => {
    expect(renderBackfillSummary(result)).toStrictEqual([
      'backfill 0003_backfill_active_flag/backfill on Candidates-dev: 8 segments, 2 resumed from a checkpoint; 50,000 scanned, 20,000 matched, 19,990 written, 10 skipped',
      '  12.3 s, 2,431 items/s, 73 RCU/s (of 100), 972 WCU/s (unlimited), 3 throttled',
      '  check: 100 item(s) read back, all converged',
    ])
  })

  test('a check that found items not converged names their keys', () => {
    const check = {
      sampled: 100,
      converged: 97,
      unknown: 1,
      notConverged: 2,
      examples: [{ PK: 'C#7' }, { PK: 'C#9' }],
    }
    expect(renderBackfillSummary({ ...result, check }).at(-1)).toStrictEqual(
      '  check: 100 item(s) read back, 2 not converged (1 with a raw UpdateExpression, not checked): {"PK":"C#7"}, {"PK":"C#9"}',
    )
  })
})

describe('a backfill not done in migrate status', () => {
  test('segments, counts, holders, unheld segments, last checkpoint', () => {
    expect(
      renderBackfillStatus({
        migration: '0003_backfill_active_flag',
        name: 'backfill',
        table: 'Candidates-dev',
        direction: 'up',
        startedBy: 'ci@vm pid 7',
        startedAt: '2025-01-01T00:00:00.000Z',
        segmentsDone: 3,
        segments: 8,
        counts: { ...ZERO_COUNTS, scanned: 12_345, written: 4000, skipped: 12 },
        itemCount: 50_000,
        lastCheckpointAt: '2025-01-01T00:01:00.000Z',
        holders: [{ holder: 'ci@vm pid 7', segments: [3, 5] }],
        unheld: [6, 7, 4],
      }).join('\n'),
    ).toStrictEqual(
      [
        'backfill 0003_backfill_active_flag/backfill (up) on Candidates-dev: 3/8 segments done, 12,345 scanned of about 50,000, 4,000 written, 12 skipped',
        '  started by ci@vm pid 7 at 2025-01-01T00:00:00.000Z; last checkpoint 2025-01-01T00:01:00.000Z',
        '  segments 3, 5 held by ci@vm pid 7',
        '  segments 6, 7, 4 not held (the next run resumes them)',
      ].join('\n'),
    )
  })
})
