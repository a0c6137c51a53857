/**
 * Loopback port helpers for the embedded engine: pick a free port, probe whether something listens or
 * answers HTTP, and wait for a port to close.
 */
import { request } from 'node:http'
import { createConnection, createServer } from 'node:net'

/** The only host the embedded engine is reached on. */
export const LOOPBACK = '127.0.0.1'

/** A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, LOOPBACK, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

/** True when a TCP connection to 127.0.0.1:`port` succeeds within `timeoutMs`. */
export function isPortOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port })
    const done = (open: boolean) => {
      socket.destroy()
      resolve(open)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * True when an unsigned HTTP POST to 127.0.0.1:`port` gets any response within `timeoutMs`. DynamoDB
 * Local answers such a request with 400 (missing authentication), which means it is up.
 */
export function answersHttp(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false
    const finish = (ok: boolean) => {
      if (settled) return
      settled = true
      req.destroy()
      resolve(ok)
    }
    const req = request(
      {
        host: LOOPBACK,
        port,
        method: 'POST',
        path: '/',
        agent: false,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': 2 },
      },
      (res) => {
        res.resume()
        finish(true)
      },
    )
    req.once('timeout', () => finish(false))
    req.once('error', () => finish(false))
    req.end('{}')
  })
}

/**
 * Resolves true once nothing accepts connections on 127.0.0.1:`port`, false if it is still open after
 * `timeoutMs`.
 */
export async function waitForPortClosed(port: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (!(await isPortOpen(port, 250))) return true
    if (Date.now() >= deadline) return false
    await sleep(100)
  }
}

/**
 * Polls 127.0.0.1:`port` with {@link answersHttp} (backoff 50 ms → 200 ms) until it answers. Resolves
 * undefined once it does; else why not: the reason `exited` resolved with (the server process ended), or
 * the timeout.
 */
export async function waitForHttp(
  port: number,
  exited: Promise<string>,
  timeoutMs: number,
): Promise<string | undefined> {
  let exitReason: string | undefined
  void exited.then((reason) => (exitReason = reason))
  const deadline = Date.now() + timeoutMs
  for (let delay = 50; ; delay = Math.min(200, Math.round(delay * 1.5))) {
    if (exitReason !== undefined) return exitReason
    if (await answersHttp(port, 1_000)) return undefined
    if (exitReason !== undefined) return exitReason
    if (Date.now() >= deadline) return `no answer within ${Math.round(timeoutMs / 1000)} s`
    await Promise.race([sleep(delay), exited])
  }
}

/** Promise-based setTimeout (kept referenced: a caller awaiting it keeps the process alive). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
