/**
 * Stopping at a safe point: the helpers every layer uses to observe the `AbortSignal` a command runs under
 * (the CLI aborts it on SIGINT / SIGTERM; a library caller aborts its own). Long waits stop sleeping at
 * once; calls already sent are never cut off, so each step knows what DynamoDB accepted. Leaf module:
 * imports only errors.ts.
 */
import { DdbmError, isDdbmError, type InterruptSignal } from './errors.js'

/**
 * The reason the CLI aborts its signal with: DdbmError INTERRUPTED naming `signal`. Every error thrown for
 * the abort carries the signal on, so the exit code follows it (SIGINT 130, SIGTERM 143).
 */
export function interruption(signal: InterruptSignal): DdbmError<'INTERRUPTED'> {
  return new DdbmError('INTERRUPTED', `Interrupted (${signal})`, { signal })
}

/** The signal an aborted `signal` names: from the CLI's reason, or undefined for a caller's own abort. */
export function signalOf(signal: AbortSignal | undefined): InterruptSignal | undefined {
  const reason: unknown = signal?.reason
  return isDdbmError(reason, 'INTERRUPTED') ? reason.details.signal : undefined
}

/**
 * DdbmError INTERRUPTED for an aborted `signal`: `Interrupted (SIGINT) <what>`, with the signal in its
 * details and the abort's reason as cause when it is not ours (a caller's `controller.abort()`).
 */
export function interruptedError(
  signal: AbortSignal | undefined,
  what: string,
  details: Record<string, unknown> = {},
  hint?: string,
): DdbmError<'INTERRUPTED'> {
  const name = signalOf(signal)
  const reason: unknown = signal?.reason
  return new DdbmError(
    'INTERRUPTED',
    `Interrupted${name === undefined ? '' : ` (${name})`} ${what}`,
    { signal: name, ...details },
    {
      ...(reason === undefined || isDdbmError(reason, 'INTERRUPTED') ? {} : { cause: reason }),
      ...(hint === undefined ? {} : { hint }),
    },
  )
}

/** Throws DdbmError INTERRUPTED (`Interrupted (SIGINT) <what>`) when `signal` is aborted. */
export function throwIfInterrupted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw interruptedError(signal, what)
}

/**
 * True when `err` is what an abort of `signal` threw: DdbmError INTERRUPTED, the signal's reason itself
 * (`ctx.signal.throwIfAborted()` in a `.ts` migration), or an AbortError while the signal is aborted.
 */
export function isInterruption(err: unknown, signal: AbortSignal | undefined): boolean {
  if (isDdbmError(err, 'INTERRUPTED')) return true
  if (signal?.aborted !== true) return false
  return err === signal.reason || (err instanceof Error && err.name === 'AbortError')
}

/**
 * Resolves with `promise`, or rejects with DdbmError INTERRUPTED (`what`) as soon as `signal` aborts,
 * leaving `promise` to settle unobserved. Without a signal it is `promise`.
 */
export function unlessInterrupted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) {
    promise.catch(() => undefined)
    return Promise.reject(interruptedError(signal, what))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined)
      reject(interruptedError(signal, what))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}

/**
 * A sleep that stops at once when `signal` aborts (rejecting with DdbmError INTERRUPTED, `what`) and does
 * not start when it is aborted already: `sleep` raced with the signal, or without `sleep` a real timer
 * that is cleared on abort (so no timer keeps the process alive). `sleep` itself without a signal.
 */
export function interruptibleSleep(
  sleep: ((ms: number) => Promise<void>) | undefined,
  signal: AbortSignal | undefined,
  what: string,
): (ms: number) => Promise<void> {
  if (sleep === undefined) return (ms) => sleepUnlessInterrupted(ms, signal, what)
  if (signal === undefined) return sleep
  return (ms) =>
    signal.aborted
      ? Promise.reject(interruptedError(signal, what))
      : unlessInterrupted(sleep(ms), signal, what)
}

/** A real `setTimeout` sleep whose timer is cleared when `signal` aborts (then it rejects, see above). */
export function sleepUnlessInterrupted(
  ms: number,
  signal: AbortSignal | undefined,
  what: string,
): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(interruptedError(signal, what))
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(interruptedError(signal, what))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
