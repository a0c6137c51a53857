import { describe, expect, test } from 'vitest'
import { DdbmError } from '../../src/errors.js'
import {
  interruptedError,
  interruptibleSleep,
  interruption,
  isInterruption,
  throwIfInterrupted,
  unlessInterrupted,
} from '../../src/interrupt.js'

/** What a promise settles to: its value, or the code and message of its DdbmError. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (value) => ({ value }),
    (err: unknown) =>
      err instanceof DdbmError
        ? { code: err.code, message: err.message, details: err.details, exit: err.exitCode }
        : { error: String(err) },
  )
}

describe('the abort reason the CLI gives, and the errors made from it', () => {
  test('interruption(signal) is DdbmError INTERRUPTED naming the signal', () => {
    const reason = interruption('SIGTERM')
    expect([reason.code, reason.message, reason.details, reason.exitCode]).toStrictEqual([
      'INTERRUPTED',
      'Interrupted (SIGTERM)',
      { signal: 'SIGTERM' },
      143,
    ])
  })

  test('interruptedError says where, and keeps the signal (or a caller’s own reason as cause)', () => {
    const cli = new AbortController()
    cli.abort(interruption('SIGINT'))
    const ours = interruptedError(cli.signal, 'while waiting', { table: 'T' }, 'do this')
    expect([ours.message, ours.details, ours.hint, ours.cause]).toStrictEqual([
      'Interrupted (SIGINT) while waiting',
      { signal: 'SIGINT', table: 'T' },
      'do this',
      undefined,
    ])
    const library = new AbortController()
    library.abort()
    const theirs = interruptedError(library.signal, 'while waiting')
    expect([theirs.message, theirs.details, theirs.exitCode]).toStrictEqual([
      'Interrupted while waiting',
      { signal: undefined },
      130,
    ])
    expect((theirs.cause as Error).name).toBe('AbortError')
  })

  test('throwIfInterrupted throws only once the signal is aborted', () => {
    const c = new AbortController()
    expect(() => throwIfInterrupted(c.signal, 'before step 2')).not.toThrow()
    expect(() => throwIfInterrupted(undefined, 'before step 2')).not.toThrow()
    c.abort(interruption('SIGINT'))
    expect(() => throwIfInterrupted(c.signal, 'before step 2')).toThrow(
      'Interrupted (SIGINT) before step 2',
    )
  })

  test('isInterruption: INTERRUPTED, the reason itself, or an AbortError while aborted; nothing else', () => {
    const c = new AbortController()
    const abortError = Object.assign(new Error('aborted'), { name: 'AbortError' })
    expect(isInterruption(abortError, c.signal)).toBe(false)
    c.abort()
    expect([
      isInterruption(interruption('SIGINT'), undefined),
      isInterruption(c.signal.reason, c.signal),
      isInterruption(abortError, c.signal),
      isInterruption(new Error('boom'), c.signal),
      isInterruption(new DdbmError('AWS_FAILED', 'x'), c.signal),
    ]).toStrictEqual([true, true, true, false, false])
  })
})

describe('waits that stop at once', () => {
  test('a sleep under way ends when the signal aborts, with the message of the wait', async () => {
    const c = new AbortController()
    const forever = () => new Promise<void>(() => {})
    const sleep = interruptibleSleep(forever, c.signal, 'while waiting for index X')
    const pending = outcome(sleep(60_000))
    c.abort(interruption('SIGINT'))
    expect(await pending).toStrictEqual({
      code: 'INTERRUPTED',
      message: 'Interrupted (SIGINT) while waiting for index X',
      details: { signal: 'SIGINT' },
      exit: 130,
    })
  })

  test('a sleep asked for after the abort does not start; without a signal it is the sleep itself', async () => {
    const c = new AbortController()
    c.abort(interruption('SIGTERM'))
    let started = 0
    const counted = async () => {
      started++
    }
    expect(await outcome(interruptibleSleep(counted, c.signal, 'later')(5))).toStrictEqual({
      code: 'INTERRUPTED',
      message: 'Interrupted (SIGTERM) later',
      details: { signal: 'SIGTERM' },
      exit: 143,
    })
    expect(started).toBe(0)
    expect(interruptibleSleep(counted, undefined, 'x')).toBe(counted)
  })

  test('the default sleep clears its timer on abort, so it resolves or rejects promptly', async () => {
    const c = new AbortController()
    const sleep = interruptibleSleep(undefined, c.signal, 'while polling')
    expect(await outcome(sleep(1))).toStrictEqual({ value: undefined })
    const t0 = performance.now()
    const pending = outcome(sleep(60_000))
    setTimeout(() => c.abort(interruption('SIGINT')), 10)
    expect(await pending).toStrictEqual({
      code: 'INTERRUPTED',
      message: 'Interrupted (SIGINT) while polling',
      details: { signal: 'SIGINT' },
      exit: 130,
    })
    expect(performance.now() - t0).toBeLessThan(5_000)
  })

  test('unlessInterrupted passes the value or the error of a promise that settles first', async () => {
    const c = new AbortController()
    expect(await outcome(unlessInterrupted(Promise.resolve(7), c.signal, 'x'))).toStrictEqual({
      value: 7,
    })
    expect(
      await outcome(unlessInterrupted(Promise.reject(new Error('boom')), c.signal, 'x')),
    ).toStrictEqual({ error: 'Error: boom' })
  })
})
