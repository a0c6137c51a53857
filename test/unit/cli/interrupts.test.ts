import { EventEmitter } from 'node:events'
import { expect, test } from 'vitest'
import { installInterrupts } from '../../../src/cli/interrupts.js'
import { type DdbmError } from '../../../src/errors.js'

function setup() {
  const source = new EventEmitter()
  const notes: string[] = []
  const forced: DdbmError[] = []
  const interrupts = installInterrupts({
    source,
    notify: (m) => notes.push(m),
    force: (e) => forced.push(e),
  })
  return { source, notes, forced, interrupts }
}

test('the first Ctrl-C aborts the signal with INTERRUPTED and says how the command stops', () => {
  const { source, notes, forced, interrupts } = setup()
  expect(interrupts.signal.aborted).toBe(false)
  source.emit('SIGINT')
  const reason = interrupts.signal.reason as DdbmError
  expect([interrupts.signal.aborted, reason.code, reason.details, reason.exitCode]).toStrictEqual([
    true,
    'INTERRUPTED',
    { signal: 'SIGINT' },
    130,
  ])
  expect(notes).toStrictEqual([
    'Ctrl-C received: stopping at the next safe point (the running step finishes, the lock is released, an engine this command started is stopped); press Ctrl-C again to exit at once',
  ])
  expect(forced).toStrictEqual([])
})

test('a second signal forces the exit with its own error (SIGTERM: exit 143)', () => {
  const { source, notes, forced } = setup()
  source.emit('SIGTERM')
  source.emit('SIGTERM')
  expect(notes).toHaveLength(1)
  expect(notes[0]).toMatch(/^SIGTERM received: .*; send SIGTERM again to exit at once$/)
  expect(forced.map((e) => [e.code, e.message, e.details, e.hint, e.exitCode])).toStrictEqual([
    [
      'INTERRUPTED',
      'Interrupted again (SIGTERM): exited at once, without waiting for a safe point',
      { signal: 'SIGTERM', forced: true },
      'A lock this run held is taken over by the next run once its lease runs out; re-run the command: its steps converge.',
      143,
    ],
  ])
})

test('dispose removes both handlers, once', () => {
  const { source, interrupts } = setup()
  expect([source.listenerCount('SIGINT'), source.listenerCount('SIGTERM')]).toStrictEqual([1, 1])
  interrupts.dispose()
  interrupts.dispose()
  expect([source.listenerCount('SIGINT'), source.listenerCount('SIGTERM')]).toStrictEqual([0, 0])
  source.emit('SIGINT')
  expect(interrupts.signal.aborted).toBe(false)
})

test('a command that does not stop at safe points is exited at the first signal', () => {
  const source = new EventEmitter()
  const notes: string[] = []
  const forced: DdbmError[] = []
  const interrupts = installInterrupts({
    source,
    notify: (m) => notes.push(m),
    force: (e) => forced.push(e),
    stopsSafely: () => false,
  })
  source.emit('SIGINT')
  expect(interrupts.signal.aborted).toBe(true)
  expect(notes).toStrictEqual([])
  expect(forced.map((e) => [e.code, e.message, e.details, e.hint, e.exitCode])).toStrictEqual([
    ['INTERRUPTED', 'Interrupted (SIGINT)', { signal: 'SIGINT' }, 'Re-run the command.', 130],
  ])
})
