import { DdbmError, type InterruptSignal } from '../errors.js'
import { interruption } from '../interrupt.js'

/** The signals a command stops on at a safe point. */
export const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM']

/** What {@link installInterrupts} needs of the process; tests pass their own emitter. */
export type SignalSource = {
  on(signal: InterruptSignal, listener: () => void): unknown
  removeListener(signal: InterruptSignal, listener: () => void): unknown
}

/** Options of {@link installInterrupts}. */
export type InterruptOptions = {
  /** Told once, at the first signal, that the command is stopping (the CLI prints it as a warning). */
  notify: (message: string) => void
  /**
   * Called at a second signal with the error to report; it must end the process at once (the CLI
   * reports the error and exits with its code: 130 for SIGINT, 143 for SIGTERM).
   */
  force: (error: DdbmError<'INTERRUPTED'>) => void
  /**
   * Whether the running command stops at a safe point on the signal; when it does not (a read-only or
   * quick command), the first signal already calls `force`, so Ctrl-C never waits for it. Default: yes.
   */
  stopsSafely?: () => boolean
  /** Default the process. */
  source?: SignalSource
}

/** The handlers of one CLI run: the signal the commands run under, and their removal. */
export type Interrupts = {
  /** Aborted at the first SIGINT or SIGTERM, with DdbmError INTERRUPTED naming it as the reason. */
  signal: AbortSignal
  /** Removes the handlers: a signal after that has its default effect again. Idempotent. */
  dispose(): void
}

/**
 * Installs the CLI's SIGINT and SIGTERM handlers, once per process. The first signal aborts `signal`
 * (the api then stops at its next safe point: the running step finishes, long waits are abandoned, the
 * lock is released, an engine the command started is stopped) and says so through `notify`; a second
 * one calls `force`, as most CLIs do, for a command that must not be waited for (a lock it held then
 * expires after its lease). A command that does not stop safely (`stopsSafely`) is forced at the first.
 */
export function installInterrupts(opts: InterruptOptions): Interrupts {
  const source = opts.source ?? process
  const controller = new AbortController()
  const onSignal = (name: InterruptSignal): void => {
    const again = name === 'SIGINT' ? 'press Ctrl-C again' : 'send SIGTERM again'
    if (!controller.signal.aborted && opts.stopsSafely?.() === false) {
      controller.abort(interruption(name))
      const hint = 'Re-run the command.'
      opts.force(new DdbmError('INTERRUPTED', `Interrupted (${name})`, { signal: name }, { hint }))
      return
    }
    if (!controller.signal.aborted) {
      controller.abort(interruption(name))
      opts.notify(
        `${name === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} received: stopping at the next safe point (the running step finishes, the lock is released, an engine this command started is stopped); ${again} to exit at once`,
      )
      return
    }
    opts.force(
      new DdbmError(
        'INTERRUPTED',
        `Interrupted again (${name}): exited at once, without waiting for a safe point`,
        { signal: name, forced: true },
        {
          hint: 'A lock this run held is taken over by the next run once its lease runs out; re-run the command: its steps converge.',
        },
      ),
    )
  }
  const listeners = INTERRUPT_SIGNALS.map((name) => [name, () => onSignal(name)] as const)
  for (const [name, listener] of listeners) source.on(name, listener)
  let disposed = false
  return {
    signal: controller.signal,
    dispose() {
      if (disposed) return
      disposed = true
      for (const [name, listener] of listeners) source.removeListener(name, listener)
    },
  }
}
