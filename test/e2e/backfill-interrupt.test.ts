import { expect, onTestFinished, test } from 'vitest'
import {
  backfilled,
  scanItems,
  segmentItems,
  preparedBackfill,
} from '../helpers/backfill-project.js'
import { ddbm, startDdbm } from '../helpers/cli.js'
import { describeOn, engines, type Engine } from '../helpers/engines.js'

const ITEMS = 3_000
const SEGMENTS = 4

const engine = engines()[0] as Engine

describeOn(engine, `${engine.name}: Ctrl-C during a backfill`, () => {
  test('stops every segment at a page boundary (exit 130, leases released); the next run resumes and writes no item twice', async () => {
    const shape = { segments: SEGMENTS, concurrency: SEGMENTS, pageSize: 50 }
    const { cwd, at, table, meta, client } = await preparedBackfill(engine, shape, ITEMS)

    const run = startDdbm(['migrate', 'up', '--no-verify', ...at], { cwd })
    onTestFinished(() => void run.child.kill('SIGKILL'))
    for (let i = 0; i < 600; i++) {
      const segs = await segmentItems(client, meta)
      if (segs.some((s) => s.lastKey !== undefined)) break
      await new Promise((r) => setTimeout(r, 50))
    }
    run.child.kill('SIGINT')
    const stopped = await run.done
    expect(stopped.code, stopped.stderr).toBe(130)
    expect(stopped.stderr).toMatch(
      /Interrupted \(SIGINT\).*in backfill backfill of 0002_backfill: \d of 4 segment\(s\) done/,
    )
    const after = await segmentItems(client, meta)
    expect(after.map((s) => s.leaseOwner)).toStrictEqual(after.map(() => undefined))
    const status = await ddbm(['migrate', 'status', '--json', ...at], { cwd })
    const rows = (
      JSON.parse(status.stdout) as { result: { rows: { name: string; state: string }[] } }
    ).result.rows
    expect(rows.map((r) => [r.name, r.state])).toStrictEqual([
      ['0001_items', 'applied'],
      ['0002_backfill', 'interrupted'],
    ])

    const resumed = await ddbm(['migrate', 'up', '--no-verify', '--json', ...at], { cwd })
    expect(resumed.code, resumed.stderr).toBe(0)
    const doc = JSON.parse(resumed.stdout) as {
      result: {
        backfills: { resumedSegments: number; counts: { scanned: number; written: number } }[]
      }
    }
    const [result] = doc.result.backfills
    expect(result?.resumedSegments).toBeGreaterThan(0)
    expect([result?.counts.scanned, result?.counts.written]).toStrictEqual([ITEMS, ITEMS])
    const items = await scanItems(client, table)
    expect(items.map(({ touched: _t, ...item }) => item)).toStrictEqual(backfilled(ITEMS))
    // Stopped at page boundaries after their checkpoints: nothing was written twice.
    expect(items.filter((i) => Number(i.touched) !== 1)).toStrictEqual([])
  }, 120_000)
})
