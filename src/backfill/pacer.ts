// Stand-in until the pacer branch lands: same interface, no pacing.
export type Rate = { readPerSec: number; writePerSec: number }
export type PacerOptions = { rate: Rate; now: () => number }
export type Pacer = {
  delay(kind: 'read' | 'write'): number
  consume(kind: 'read' | 'write', units: number): void
  throttled(kind: 'read' | 'write'): void
  setTarget(rate: Rate): void
  stats(): {
    current: Rate
    target: Rate
    consumed: { read: number; write: number }
    throttles: number
  }
}
export function createPacer(opts: PacerOptions): Pacer {
  let target = opts.rate
  let throttles = 0
  const consumed = { read: 0, write: 0 }
  return {
    delay: () => 0,
    consume: (kind, units) => void (consumed[kind] += units),
    throttled: () => void throttles++,
    setTarget: (rate) => void (target = rate),
    stats: () => ({ current: target, target, consumed: { ...consumed }, throttles }),
  }
}
