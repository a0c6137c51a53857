import { expect, test } from 'vitest'
import { Reporter } from '../../../src/cli/reporter.js'
import type { LockEvent } from '../../../src/events.js'

/** The stderr lines the reporter prints for `events` (human mode, or --quiet). */
function lines(events: Omit<LockEvent, 'kind'>[], quiet = false): string[] {
  const err: string[] = []
  const reporter = new Reporter(
    { json: false, quiet, verbose: false },
    { write: () => undefined },
    { write: (t: string) => err.push(t) },
    {},
  )
  for (const e of events) reporter.emit({ kind: 'lock', ...e })
  return err.join('').trimEnd().split('\n')
}

const HOLDER = { holder: 'ci@build-7 pid 42', since: '2026-05-01T12:00:00.000Z' }

test('a waiter names the holder, counts down to the takeover, and says when the holder is alive', () => {
  expect(
    lines([
      { status: 'waiting', ...HOLDER, takeoverInMs: 20_000 },
      { status: 'countdown', ...HOLDER, unrenewedMs: 10_300, takeoverInMs: 9_700 },
      { status: 'alive', ...HOLDER, giveUpInMs: 14.5 * 60_000 },
      { status: 'countdown', ...HOLDER, unrenewedMs: 15_000, takeoverInMs: 5_000 },
      { status: 'taken-over', ...HOLDER },
      { status: 'released', holder: 'me@vm pid 1' },
    ]),
  ).toStrictEqual([
    'lock waiting: held by ci@build-7 pid 42 since 2026-05-01T12:00:00.000Z; taking over in 20 s unless it renews',
    'lock countdown: held by ci@build-7 pid 42: not renewed for 10 s; taking over in 10 s unless it renews',
    'lock alive: held by ci@build-7 pid 42 renewed its lease, so it is running; waiting up to 15 min more (--lock-timeout)',
    'lock countdown: held by ci@build-7 pid 42: not renewed for 15 s; taking over in 5 s unless it renews',
    'lock taken-over (held by ci@build-7 pid 42 since 2026-05-01T12:00:00.000Z)',
    'lock released (held by me@vm pid 1)',
  ])
})

test('--quiet shows only a lost lock', () => {
  expect(
    lines(
      [
        { status: 'waiting', ...HOLDER, takeoverInMs: 20_000 },
        { status: 'countdown', ...HOLDER, unrenewedMs: 10_000, takeoverInMs: 10_000 },
        { status: 'lost', holder: 'me@vm pid 1' },
      ],
      true,
    ),
  ).toStrictEqual(['lock lost (held by me@vm pid 1)'])
})
