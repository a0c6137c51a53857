import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A new studio token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Whether `given` is `token`, in time independent of where they differ and of `given`'s length (both
 * are hashed first, so timingSafeEqual compares equal lengths).
 */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

/**
 * Whether a Host header names this server: `127.0.0.1:<port>` or `localhost:<port>` exactly. Anything else
 * is a name that resolved to loopback (DNS rebinding) or a proxy: refused.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/** Whether an Origin header is this server's own: `http://127.0.0.1:<port>` or `http://localhost:<port>`. */
export function originAllowed(origin: string, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}
