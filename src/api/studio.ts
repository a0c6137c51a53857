import { fileURLToPath } from 'node:url'
import { EMBEDDED } from '../config/config-file.js'
import { openSession, type SessionOptions } from './session.js'

/** Options of {@link startStudio}: the session's, and the server's. */
export type StudioOptions = SessionOptions & {
  /** Port on 127.0.0.1; default 0, a free one. */
  port?: number
  /**
   * Allow editing and deleting items on any endpoint. Default false: writes are allowed on the embedded
   * engine only (a DynamoDB Local you run yourself at a URL counts as any other endpoint).
   */
  allowWrites?: boolean
  /** The token the page must send; default 32 random bytes, base64url. */
  token?: string
  /** The page's folder; default `studio-page/` of the ddbm package. */
  pageDir?: string
}

/** What `ddbm studio --json` prints once the studio listens. */
export type StudioStarted = {
  /** `http://127.0.0.1:<port>/?token=<token>`: the page to open. */
  url: string
  port: number
  /** The environment's name. */
  env: string
  /** Whether item writes are allowed (allowWrites, or the embedded engine). */
  allowWrites: boolean
}

/** A running studio. */
export type Studio = StudioStarted & {
  token: string
  /** Stops the server (cutting open connections), then closes the session. Idempotent. */
  close(): Promise<void>
}

/** The `studio-page/` folder of the ddbm package (beside src/ and dist/). */
export const DEFAULT_PAGE_DIR = fileURLToPath(new URL('../../studio-page', import.meta.url))

/**
 * `ddbm studio`: opens a session on the environment and serves the studio (docs/studio.md) on
 * 127.0.0.1 only: the page, and a JSON API behind a token, Host and Origin checks, read-only unless
 * `allowWrites` or the environment is the embedded engine. The session stays open until `close()`; an
 * embedded engine it started is stopped then (or left idle, with `leaveEngineRunning`). Credentials
 * never leave the process: the API shows the endpoint and region only.
 */
export async function startStudio(opts: StudioOptions = {}): Promise<Studio> {
  const session = await openSession(opts)
  try {
    const [{ studioData }, { listen }, { newToken }] = await Promise.all([
      import('./studio-data.js'),
      import('../studio/server.js'),
      import('../studio/safety.js'),
    ])
    const allowWrites = opts.allowWrites === true || session.env.endpoint === EMBEDDED
    const token = opts.token ?? newToken()
    const server = await listen({
      data: await studioData(session, allowWrites),
      token,
      ...(opts.port === undefined ? {} : { port: opts.port }),
      pageDir: opts.pageDir ?? DEFAULT_PAGE_DIR,
    })
    let closing: Promise<void> | undefined
    return {
      url: `http://127.0.0.1:${server.port}/?token=${token}`,
      port: server.port,
      token,
      env: session.env.name,
      allowWrites,
      close() {
        closing ??= server.close().finally(() => session.close())
        return closing
      },
    }
  } catch (err) {
    await session.close()
    throw err
  }
}
