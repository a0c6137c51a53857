import { describe, expect, test } from 'vitest'
import { formatElapsed } from '../../../src/cli/elapsed.js'
import { WaitHeartbeat } from '../../../src/cli/heartbeat.js'
import { Reporter } from '../../../src/cli/reporter.js'
import type { Event } from '../../../src/events.js'

/** A clock moved by hand, and a timer whose ticks the test fires. */
function fakeTime() {
  let now = 0
  const ticks: (() => void)[] = []
  let running = 0
  return {
    now: () => now,
    repeat: (tick: () => void) => {
      ticks.push(tick)
      running++
      return { cancel: () => void running-- }
    },
    /** Moves the clock `ms` forward in steps of `every`, firing the timer after each step. */
    advance(ms: number, every: number) {
      for (let t = 0; t < ms; t += every) {
        now += every
        for (const tick of ticks) tick()
      }
    },
    running: () => running,
  }
}

type StepEvent = Extract<Event, { kind: 'step' }>

const waiting = (detail: string, table = 'Orders-dev', op = 'createGsi'): StepEvent => ({
  kind: 'step',
  table,
  op,
  status: 'waiting',
  detail,
})

describe('formatElapsed', () => {
  test.each([
    [0, '0.0 s'],
    [3_240, '3.2 s'],
    [59_900, '59.9 s'],
    [59_960, '1 min 00 s'],
    [125_000, '2 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [3 * 3_600_000 + 7 * 60_000, '3 h 07 min'],
    [-5, '0.0 s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text)
  })
})

describe('WaitHeartbeat off a terminal', () => {
  test('a GSI backfill of two hours prints a line every 30 s with the time waited and what for', () => {
    const time = fakeTime()
    const lines: string[] = []
    const beat = new WaitHeartbeat({ write: (t: string) => lines.push(t) }, time)
    beat.step(waiting('table ACTIVE; index ByStatus CREATING (backfilling)'))
    time.advance(2 * 3_600_000, 5_000)
    expect(lines).toHaveLength(240)
    expect(lines.slice(0, 2)).toStrictEqual([
      '  still waiting 30.0 s for createGsi Orders-dev: table ACTIVE; index ByStatus CREATING (backfilling)\n',
      '  still waiting 1 min 00 s for createGsi Orders-dev: table ACTIVE; index ByStatus CREATING (backfilling)\n',
    ])
    expect(lines.at(-1)).toBe(
      '  still waiting 2 h 00 min for createGsi Orders-dev: table ACTIVE; index ByStatus CREATING (backfilling)\n',
    )
  })

  test('a new waiting line (its state changed) restarts the 30 s, not the time waited; the outcome ends it', () => {
    const time = fakeTime()
    const lines: string[] = []
    const beat = new WaitHeartbeat({ write: (t: string) => lines.push(t) }, time)
    beat.step(waiting('table CREATING', 'Orders-dev', 'createTable'))
    time.advance(20_000, 5_000)
    beat.step(waiting('table ACTIVE; index ByStatus CREATING', 'Orders-dev', 'createTable'))
    time.advance(25_000, 5_000)
    expect(lines).toStrictEqual([])
    time.advance(5_000, 5_000)
    expect(lines).toStrictEqual([
      '  still waiting 50.0 s for createTable Orders-dev: table ACTIVE; index ByStatus CREATING\n',
    ])
    beat.step({ kind: 'step', table: 'Orders-dev', op: 'createTable', status: 'done' })
    expect(time.running()).toBe(0)
    time.advance(120_000, 5_000)
    expect(lines).toHaveLength(1)
  })

  test('two tables waiting at once each get their line; a retry keeps counting from the first wait', () => {
    const time = fakeTime()
    const lines: string[] = []
    const beat = new WaitHeartbeat({ write: (t: string) => lines.push(t) }, time)
    beat.step(waiting('table CREATING', 'A', 'createTable'))
    time.advance(10_000, 5_000)
    beat.step(waiting('index X CREATING', 'B', 'createGsi'))
    beat.step({ kind: 'step', table: 'B', op: 'createGsi', status: 'sent', detail: 'UpdateTable' })
    beat.step(waiting('UpdateTable refused (LimitExceededException); retrying', 'B', 'createGsi'))
    time.advance(30_000, 5_000)
    expect(lines).toStrictEqual([
      '  still waiting 30.0 s for createTable A: table CREATING\n',
      '  still waiting 30.0 s for createGsi B: UpdateTable refused (LimitExceededException); retrying\n',
    ])
  })
})

describe('WaitHeartbeat on a terminal', () => {
  test('one spinner line redrawn in place with the time waited; clear() and stop() wipe it', () => {
    const time = fakeTime()
    let screen = ''
    const beat = new WaitHeartbeat({ write: (t: string) => (screen += t), isTTY: true }, time)
    beat.step(waiting('index ByStatus CREATING (backfilling)'))
    beat.step(waiting('table CREATING', 'Users-dev', 'createTable'))
    time.advance(500, 250)
    expect(screen).toBe(
      '\r\x1b[2K⠋ waiting 0.3 s for createGsi Orders-dev: index ByStatus CREATING (backfilling) (+1 more)' +
        '\r\x1b[2K⠙ waiting 0.5 s for createGsi Orders-dev: index ByStatus CREATING (backfilling) (+1 more)',
    )
    screen = ''
    beat.clear()
    beat.clear()
    expect(screen).toBe('\r\x1b[2K')
    time.advance(250, 250)
    screen = ''
    beat.stop()
    expect([screen, time.running()]).toStrictEqual(['\r\x1b[2K', 0])
  })
})

describe('Reporter: heartbeat and elapsed time', () => {
  function reporter(mode: { json?: boolean; quiet?: boolean }) {
    const time = fakeTime()
    let out = ''
    let err = ''
    const r = new Reporter(
      { json: mode.json ?? false, quiet: mode.quiet ?? false, verbose: false },
      { write: (t: string) => (out += t) },
      { write: (t: string) => (err += t) },
      {},
      time,
    )
    r.command = 'migrate up'
    return { r, time, out: () => out, err: () => err }
  }

  test('human: the step line, a still-waiting line every 30 s, then the result and "done in"', () => {
    const c = reporter({})
    c.r.emit(waiting('index ByStatus CREATING (backfilling)'))
    c.time.advance(65_000, 5_000)
    c.r.emit({ kind: 'step', table: 'Orders-dev', op: 'createGsi', status: 'done' })
    c.time.advance(1_200, 100)
    c.r.result({}, 'applied 1 migration')
    expect(c.out()).toBe('applied 1 migration\n')
    expect(c.err()).toBe(
      '  waiting     createGsi Orders-dev: index ByStatus CREATING (backfilling)\n' +
        '  still waiting 30.0 s for createGsi Orders-dev: index ByStatus CREATING (backfilling)\n' +
        '  still waiting 1 min 00 s for createGsi Orders-dev: index ByStatus CREATING (backfilling)\n' +
        '  done        createGsi Orders-dev\n' +
        'done in 1 min 06 s\n',
    )
  })

  test('--json: the heartbeat on stderr, no "done in"; --quiet: neither', () => {
    const json = reporter({ json: true })
    json.r.emit(waiting('table CREATING'))
    json.time.advance(30_000, 5_000)
    json.r.result({ applied: 1 })
    expect(json.err()).toBe(
      '  waiting     createGsi Orders-dev: table CREATING\n' +
        '  still waiting 30.0 s for createGsi Orders-dev: table CREATING\n',
    )
    expect(JSON.parse(json.out())).toStrictEqual({
      ok: true,
      command: 'migrate up',
      result: { applied: 1 },
    })
    const quiet = reporter({ quiet: true })
    quiet.r.emit(waiting('table CREATING'))
    quiet.time.advance(60_000, 5_000)
    quiet.r.result({}, 'text')
    expect([quiet.out(), quiet.err(), quiet.time.running()]).toStrictEqual(['', '', 0])
  })

  test('a failure stops the heartbeat', () => {
    const c = reporter({})
    c.r.emit(waiting('table CREATING'))
    c.r.fatal(new Error('boom'))
    expect(c.time.running()).toBe(0)
  })
})
