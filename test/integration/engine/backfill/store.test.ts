import { expect, onTestFinished, test } from 'vitest'
import { ZERO_COUNTS } from '../../../../src/backfill/segments.js'
import type { BackfillHeader } from '../../../../src/engine/backfill/backfill-store.js'
import { dynamoBackfillStore } from '../../../../src/engine/backfill/dynamo-backfill-store.js'
import { acquireLock, forceUnlock } from '../../../../src/engine/meta/lock.js'
import { silent } from '../../../../src/events.js'
import { DdbmError } from '../../../../src/errors.js'
import { describeOn, engineClient, engines } from '../../../helpers/engines.js'
import { metaTables } from '../../../helpers/meta-tables.js'

const ref = { migration: '0003_x', name: 'backfill' }
const header = (lockOwner: string, extra: Partial<BackfillHeader> = {}): BackfillHeader => ({
  ...ref,
  table: 'Items-t',
  segments: 3,
  direction: 'up',
  status: 'running',
  lockOwner,
  startedBy: 'me@host pid 1',
  startedAt: '2026-12-01T00:00:00.000Z',
  ...extra,
})
const a = { owner: 'lease-a', holder: 'a@host pid 1' }
const b = { owner: 'lease-b', holder: 'b@host pid 2' }

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: the backfill store in the meta table`, () => {
    const client = engineClient(engine)
    const { metaTable } = metaTables(client, 'backfill_store')

    test('start, claim, checkpoint, take over, finish; a resumed start keeps the progress', async () => {
      const table = await metaTable()
      const store = dynamoBackfillStore(client, table)
      const lease = await acquireLock({ client, table, holder: 'run 1', emit: silent })
      try {
        const started = await store.start(header(lease.owner))
        expect(started.resumed).toBe(false)
        expect(started.segments).toStrictEqual(
          [0, 1, 2].map((index) => ({ index, status: 'open', counts: ZERO_COUNTS })),
        )

        const claimed = await store.claim(ref, 1, a)
        expect(claimed?.lease).toStrictEqual({ ...a, counter: 1 })
        expect(await store.claim(ref, 1, b)).toBe(undefined) // held
        const counts = { ...ZERO_COUNTS, scanned: 10, written: 4 }
        const fence = { owner: a.owner, lockOwner: lease.owner }
        expect(
          await store.checkpoint(ref, 1, fence, {
            lastKey: '{"PK":{"S":"x"}}',
            counts,
            done: false,
          }),
        ).toBe('ok')
        expect(
          await store.checkpoint(ref, 1, { ...fence, owner: b.owner }, { counts, done: false }),
        ).toBe('lease-lost')
        expect(
          await store.checkpoint(
            ref,
            1,
            { ...fence, lockOwner: 'someone-else' },
            { counts, done: false },
          ),
        ).toBe('lock-lost')

        // b takes the segment over only by naming the lease it saw (owner and counter).
        expect(await store.claim(ref, 1, b, { ...a, counter: 1 })).toBe(undefined) // counter moved to 2
        const taken = await store.claim(ref, 1, b, { ...a, counter: 2 })
        expect([taken?.lease, taken?.lastKey, taken?.counts]).toStrictEqual([
          { ...b, counter: 3 },
          '{"PK":{"S":"x"}}',
          counts,
        ])
        expect(await store.renew(ref, 1, a.owner)).toBe(false)
        expect(await store.renew(ref, 1, b.owner)).toBe(true)
        expect(
          await store.checkpoint(
            ref,
            1,
            { owner: b.owner, lockOwner: lease.owner },
            { counts, done: true },
          ),
        ).toBe('ok')

        // A new run (which took the lock over) adopts the stored state; other options are refused.
        await expect(store.start(header('not-the-lock-owner'))).rejects.toSatisfy(
          (e) => e instanceof DdbmError && e.code === 'LOCK_LOST',
        )
        await forceUnlock(client, table)
        const run2 = await acquireLock({ client, table, holder: 'run 2', emit: silent })
        onTestFinished(() => run2.release())
        const resumed = await store.start(header(run2.owner))
        expect([
          resumed.resumed,
          resumed.header.lockOwner,
          resumed.segments[1]?.status,
        ]).toStrictEqual([true, run2.owner, 'done'])
        await expect(store.start(header(run2.owner, { segments: 4 }))).rejects.toThrow(
          'Backfill backfill of 0003_x was started on Items-t with 3 segment(s); this run asks for Items-t with 4 segment(s)',
        )
        // Run 1 lost the lock: it can no longer finish the backfill; run 2 can.
        await expect(store.finish(ref, lease.owner, 'now')).rejects.toSatisfy(
          (e) => e instanceof DdbmError && e.code === 'LOCK_LOST',
        )
        await store.finish(ref, run2.owner, '2026-12-01T01:00:00.000Z')
        expect(
          (await store.list()).map((h) => [h.migration, h.name, h.status, h.finishedAt]),
        ).toStrictEqual([['0003_x', 'backfill', 'done', '2026-12-01T01:00:00.000Z']])
        expect(await store.remove('0003_x')).toBe(4)
        expect(await store.read(ref)).toBe(undefined)
      } finally {
        await lease.release()
        await forceUnlock(client, table)
      }
    })
  })
}
