import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { studioApp, type StudioData } from './app.js'

/** Options of {@link listen}. */
export type ListenOptions = {
  data: StudioData
  token: string
  /** Default 0: a free port. */
  port?: number
  pageDir: string
}

/** A listening studio server. */
export type Listening = { port: number; close(): Promise<void> }

/**
 * Serves the studio app on 127.0.0.1 only (never another interface) at `port`, resolving once it
 * listens. `close()` stops accepting, ends open connections (a running export is cut) and resolves when
 * the server is closed.
 */
export async function listen(opts: ListenOptions): Promise<Listening> {
  let port = opts.port ?? 0
  const app = studioApp({
    data: opts.data,
    token: opts.token,
    pageDir: opts.pageDir,
    port: () => port,
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => resolve(s))
    s.once('error', reject)
  })
  port = (server.address() as AddressInfo).port
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)))
        if ('closeAllConnections' in server) server.closeAllConnections()
      }),
  }
}
