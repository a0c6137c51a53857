import { randomUUID } from 'node:crypto'
import { createPacer, type Rate } from '../../backfill/pacer.js'
import {
  pickClaims,
  progressOf,
  shareOf,
  totalCounts,
  addCounts,
  ZERO_COUNTS,
  type Counts,
  type SegmentState,
  type Sighting,
} from '../../backfill/segments.js'
import { resolveSpec, type BackfillSpec, type Item } from '../../backfill/spec.js'
import { DdbmError } from '../../errors.js'
import { interruptedError, interruptibleSleep, isInterruption } from '../../interrupt.js'
import type { BackfillHeader, BackfillRef, CheckpointOutcome } from './backfill-store.js'
import { rateFor } from './capacity-read.js'
import { describeOrFail, join, start } from './open-backfill.js'
import type { BackfillResult, BackfillRunContext } from './run-context.js'
import { sampleCheck, type CheckResult } from './sample-check.js'
import { runSegment, type SegmentOutcome } from './segment-runner.js'
import { watchThrottles } from './throttle-watch.js'

export type { BackfillResult, BackfillRunContext } from './run-context.js'

/**
 * Runs `input` in this process (docs/backfills.md): the coordinator starts it or resumes it from the
 * checkpoints in the meta table, a worker joins it; each claims open segments up to its concurrency,
 * takes over those whose lease expired, and works on them (segment-runner.ts) paced by its share of the
 * rate, until every segment is done. Then the coordinator reads a sample back (sample-check.ts) and marks
 * the backfill done. On an interrupt, segments stop at their next page boundary, release their leases
 * and DdbmError INTERRUPTED says how far it got; a failure stops every segment the same way.
 */
export async function runBackfill(
  input: BackfillSpec,
  ctx: BackfillRunContext,
): Promise<BackfillResult> {
  const spec = resolveSpec(input, ctx.file)
  const now = ctx.now ?? (() => performance.now())
  const started = now()
  const { client, store, signal, emit } = ctx
  const physical = ctx.tableName(spec.table)
  const table = await describeOrFail(client, physical, spec, ctx.file)
  const keyNames = (table.KeySchema ?? []).map((k) => k.AttributeName ?? '')
  const rate = await rateFor(client, physical, spec.rate, spec.index)
  const ref: BackfillRef = { migration: ctx.migration, name: spec.name }
  const me = { owner: randomUUID(), holder: ctx.holder }
  const header: { header: BackfillHeader; segments: SegmentState[]; previous?: BackfillHeader } =
    ctx.role === 'coordinator'
      ? await start(ctx, spec, ref, physical, table, rate, me.owner)
      : await join(ctx, ref)
  // The coordinator whose lock this run took over is gone: its segments need no lease wait.
  const previous = header.previous?.coordinator
  const dead = new Set(previous === undefined || previous === me.owner ? [] : [previous])
  let lockOwner = header.header.lockOwner
  const concurrency = ctx.concurrency ?? spec.concurrency
  const leaseMs = spec.leaseSeconds * 1000
  const sleep = interruptibleSleep(
    undefined,
    signal,
    `in backfill ${spec.name} of ${ctx.migration}`,
  )
  const pacer = createPacer({ rate, now })
  const unwatch = watchThrottles(client, (kind) => pacer.throttled(kind))

  let segments = header.segments
  const resumedSegments = segments.filter(
    (s) => s.status === 'open' && s.lastKey !== undefined,
  ).length
  const mine = new Map<number, Promise<void>>()
  let mineCounts: Counts = ZERO_COUNTS
  let failure: unknown
  let wake: () => void = () => {}

  const checkpoint = async (
    index: number,
    progress: { lastKey?: string; counts: Counts; done: boolean },
  ): Promise<CheckpointOutcome> => {
    ctx.lease?.assertHeld()
    let outcome = await store.checkpoint(ref, index, { owner: me.owner, lockOwner }, progress)
    if (outcome === 'lock-lost' && ctx.role === 'worker') {
      // A new `migrate up` run may have resumed the backfill: follow its lock.
      const fresh = await store.read(ref)
      if (fresh !== undefined && fresh.header.lockOwner !== lockOwner) {
        lockOwner = fresh.header.lockOwner
        outcome = await store.checkpoint(ref, index, { owner: me.owner, lockOwner }, progress)
      }
    }
    return outcome
  }
  const launch = (state: SegmentState) => {
    const run = runSegment(state, {
      client,
      table: physical,
      spec,
      keyNames,
      pacer,
      store,
      ref,
      owner: me.owner,
      checkpoint,
      onPage: (delta) => (mineCounts = addCounts(mineCounts, delta)),
      stopped: () => failure !== undefined || signal?.aborted === true,
      sleep,
    })
      .then(async (outcome: SegmentOutcome) => {
        if (outcome === 'stopped') await store.release(ref, state.index, me.owner)
        if (outcome === 'lease-lost') {
          emit({
            kind: 'log',
            level: 'warn',
            message: `Backfill ${spec.name}: segment ${state.index} was taken over by another worker`,
          })
        }
      })
      .catch(async (err: unknown) => {
        if (!isInterruption(err, signal)) failure ??= err
        await store.release(ref, state.index, me.owner)
      })
      .finally(() => {
        mine.delete(state.index)
        wake()
      })
    mine.set(state.index, run)
  }

  const heartbeat = setInterval(
    () => {
      for (const index of mine.keys()) void store.renew(ref, index, me.owner)
    },
    Math.max(100, leaseMs / 3),
  )
  heartbeat.unref()

  const pollMs = Math.min(1000, Math.max(50, leaseMs / 3))
  const progressEveryMs = ctx.progressEveryMs ?? 2000
  let sightings = new Map<number, Sighting>()
  let shown = { at: now(), counts: totalCounts(segments) }
  const event = (status: 'start' | 'progress' | 'waiting' | 'done') => {
    const p = progressOf({
      segments,
      before: shown.counts,
      seconds: (now() - shown.at) / 1000,
      ...(header.header.itemCount === undefined ? {} : { itemCount: header.header.itemCount }),
    })
    emit({
      kind: 'backfill',
      migration: ctx.migration,
      name: spec.name,
      table: physical,
      status,
      role: ctx.role,
      segmentsDone: p.segmentsDone,
      segments: p.segments,
      mine: mine.size,
      ...(status === 'start' ? { resumed: resumedSegments } : {}),
      scanned: p.counts.scanned,
      written: p.counts.written,
      skipped: p.counts.skipped,
      itemsPerSec: p.itemsPerSec,
      readUnitsPerSec: p.readUnitsPerSec,
      writeUnitsPerSec: p.writeUnitsPerSec,
      ...(p.etaSeconds === undefined ? {} : { etaSeconds: p.etaSeconds }),
      throttles: pacer.stats().throttles,
    })
    shown = { at: now(), counts: p.counts }
  }
  event('start')
  let waiting = false
  try {
    for (;;) {
      if (failure !== undefined || signal?.aborted === true) break
      const open = segments.filter((s) => s.status === 'open')
      if (open.length === 0) break
      const picked = pickClaims({
        segments,
        mine: new Set(mine.keys()),
        sightings,
        free: concurrency - mine.size,
        now: now(),
        leaseMs,
        dead,
        ...(ctx.prefer === undefined ? {} : { prefer: ctx.prefer }),
      })
      sightings = picked.sightings
      for (const claim of picked.claims) {
        const claimed = await store.claim(ref, claim.index, me, claim.replaces)
        if (claimed !== undefined) launch(claimed)
      }
      if (mine.size > 0) pacer.setTarget(share(rate, mine.size, open.length))
      if (mine.size === 0 && !waiting) event('waiting')
      waiting = mine.size === 0
      if (now() - shown.at >= progressEveryMs) event('progress')
      const woken = new Promise<void>((resolve) => (wake = resolve))
      await Promise.race([woken, sleep(pollMs).catch(() => {})])
      const fresh = await store.read(ref)
      if (fresh === undefined) throw gone(ref)
      segments = fresh.segments
    }
    await Promise.allSettled([...mine.values()])
  } finally {
    clearInterval(heartbeat)
    unwatch()
  }
  if (failure !== undefined) throw failure
  if (signal?.aborted === true) {
    const done = segments.filter((s) => s.status === 'done').length
    throw interruptedError(
      signal,
      `in backfill ${spec.name} of ${ctx.migration}: ${done} of ${spec.segments} segment(s) done, the others checkpointed (the next run resumes them)`,
    )
  }
  const last = await store.read(ref)
  if (last === undefined) throw gone(ref)
  segments = last.segments
  let check: CheckResult | undefined
  if (ctx.role === 'coordinator') {
    check = await sampleCheck(client, physical, spec, keyNames)
    await store.finish(ref, lockOwner, new Date().toISOString())
  }
  event('done')
  const seconds = (now() - started) / 1000
  const stats = pacer.stats()
  const per = (n: number) => (seconds > 0 ? n / seconds : 0)
  return {
    migration: ctx.migration,
    name: spec.name,
    table: physical,
    ...(spec.index === undefined ? {} : { index: spec.index }),
    segments: spec.segments,
    resumedSegments,
    counts: totalCounts(segments),
    mine: mineCounts,
    seconds,
    itemsPerSec: per(mineCounts.scanned),
    rate: {
      readPerSec: Number.isFinite(rate.readPerSec) ? rate.readPerSec : null,
      writePerSec: Number.isFinite(rate.writePerSec) ? rate.writePerSec : null,
    },
    achieved: {
      readUnitsPerSec: per(mineCounts.readUnits),
      writeUnitsPerSec: per(mineCounts.writeUnits),
    },
    throttles: stats.throttles,
    ...(check === undefined ? {} : { check }),
  }
}

/** This process's share of `rate` while it runs `mine` of the `open` segments. */
function share(rate: Rate, mine: number, open: number): Rate {
  return {
    readPerSec: shareOf(rate.readPerSec, mine, open),
    writePerSec: shareOf(rate.writePerSec, mine, open),
  }
}

function gone(ref: BackfillRef): DdbmError {
  return new DdbmError(
    'MIGRATION_FAILED',
    `The state of backfill ${ref.name} of ${ref.migration} disappeared from the meta table`,
    { name: ref.migration },
    {
      hint: 'Someone deleted it (`migrate down`, `db reset`?); re-run `ddbm migrate up`.',
    },
  )
}

export type { Item }
