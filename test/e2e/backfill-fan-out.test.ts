import { expect, onTestFinished, test } from 'vitest'
import {
  backfilled,
  scanItems,
  segmentItems,
  preparedBackfill,
} from '../helpers/backfill-project.js'
import { ddbm, startDdbm, type CliRun } from '../helpers/cli.js'
import { describeOn, engines, type Engine } from '../helpers/engines.js'

const ITEMS = 4_000
const SEGMENTS = 16
const PAGE = 50
const WORKERS = 4

const engine = engines()[0] as Engine

describeOn(engine, `${engine.name}: a backfill fanned out over ${WORKERS} worker processes`, () => {
  test('a worker killed mid-segment: its segments are taken over, every item is written, the migration recorded once', async () => {
    const shape = { segments: SEGMENTS, concurrency: 2, pageSize: PAGE }
    const { cwd, at, table, meta, client } = await preparedBackfill(engine, shape, ITEMS)

    const coordinator = startDdbm(['migrate', 'up', '--no-verify', '--json', ...at], { cwd })
    const workers = Array.from({ length: WORKERS }, (_, i) =>
      startDdbm(
        ['migrate', 'worker', '--json', '--wait', '60s', '--workers', String(WORKERS + 1), ...at],
        { cwd, env: { JOB_COMPLETION_INDEX: String(i + 1) } },
      ),
    )
    onTestFinished(() => {
      for (const p of [coordinator, ...workers]) p.child.kill('SIGKILL')
    })

    // Worker index 1 is killed once one of its segments has a checkpoint and is still open.
    const victim = workers[0]
    let held: number[] = []
    for (let i = 0; i < 400 && held.length === 0; i++) {
      const segs = await segmentItems(client, meta)
      const mine = segs.filter(
        (s) => String(s.leaseHolder ?? '').endsWith('worker 1/5') && s.leaseOwner !== undefined,
      )
      if (mine.some((s) => s.status === 'open' && s.lastKey !== undefined))
        held = mine.map((s) => Number(s.index))
      else await new Promise((r) => setTimeout(r, 50))
    }
    expect(held.length, 'worker 1 never held a checkpointed segment').toBeGreaterThan(0)
    victim?.child.kill('SIGKILL')

    const [up, ...rest] = await Promise.all([coordinator.done, ...workers.map((w) => w.done)])
    const done = up as CliRun
    expect(done.code, done.stderr).toBe(0)
    expect(rest[0]?.code).toBe(null) // killed
    for (const w of rest.slice(1)) expect(w?.code, w?.stderr).toBe(0)

    // Every item written with the value of a single-process run; repeats bounded by what was lost.
    const items = await scanItems(client, table)
    expect(items.map(({ touched: _t, ...item }) => item)).toStrictEqual(backfilled(ITEMS))
    const repeated = items.filter((i) => Number(i.touched) > 1).length
    expect(repeated).toBeLessThanOrEqual(held.length * PAGE)

    // The victim's segments were finished by others; the checkpoints count every item exactly once.
    const after = await segmentItems(client, meta)
    expect(after.filter((s) => s.status === 'done')).toHaveLength(SEGMENTS)
    for (const index of held) {
      const s = after.find((x) => Number(x.index) === index)
      expect(String(s?.leaseHolder)).not.toMatch(/worker 1\/5$/)
    }
    const result = JSON.parse(done.stdout) as {
      result: { backfills: { counts: { scanned: number; written: number }; check: unknown }[] }
    }
    expect(result.result.backfills.map((b) => b.counts)).toStrictEqual([
      expect.objectContaining({ scanned: ITEMS, written: ITEMS }),
    ])
    // Workers did part of the work and recorded nothing; the migration is applied once.
    const joined = rest.slice(1).map(
      (w) =>
        JSON.parse(w?.stdout ?? '{}') as {
          result: { backfills: { mine: { scanned: number } }[] }
        },
    )
    expect(
      joined.filter((w) => (w.result.backfills[0]?.mine.scanned ?? 0) > 0).length,
    ).toBeGreaterThan(0)
    const status = await ddbm(['migrate', 'status', '--json', ...at], { cwd })
    const rows = (
      JSON.parse(status.stdout) as { result: { rows: { name: string; state: string }[] } }
    ).result.rows
    expect(rows.map((r) => [r.name, r.state])).toStrictEqual([
      ['0001_items', 'applied'],
      ['0002_backfill', 'applied'],
    ])
  }, 120_000)
})
