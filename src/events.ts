/**
 * Structured events that api/ and engine/ emit and cli/reporter.ts renders. Leaf module: imports nothing.
 * Library code never writes to the console; it calls `emit`.
 */
export type Event =
  | { kind: 'log'; level: 'debug' | 'info' | 'warn'; message: string }
  | {
      kind: 'local'
      status: 'starting' | 'ready' | 'reused' | 'stopping' | 'stopped'
      port?: number
      storage?: 'disk' | 'memory'
      ms?: number
    }

export type Emit = (event: Event) => void

/** An emitter that drops everything (library default). */
export const silent: Emit = () => {}
