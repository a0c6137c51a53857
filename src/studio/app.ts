import { existsSync } from 'node:fs'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { serveStatic } from '@hono/node-server/serve-static'
import { isDdbmError, messageOf } from '../errors.js'
import { csvExport, jsonExport, type Pages } from './export.js'
import { hostAllowed, originAllowed, tokenMatches } from './safety.js'
import { vendorFile, VENDOR_FILES } from './vendor.js'

/**
 * What the routes read and write, given by api/studio.ts: this layer knows HTTP, not DynamoDB. A table
 * function resolves to undefined for a table the environment does not have (404).
 */
export type StudioData = {
  /** Whether PUT / DELETE of an item are allowed (--allow-writes, or the embedded engine). */
  writesAllowed: boolean
  overview(): Promise<object>
  migrations(): Promise<object>
  table(table: string): Promise<object | undefined>
  /** One page of a browse request (the JSON body as sent; checked by the api: USAGE → 400). */
  items(table: string, body: unknown): Promise<object | undefined>
  /** The request checked now, its pages read as the stream is consumed. */
  exportItems(
    table: string,
    body: unknown,
  ): Promise<{ keyNames: string[]; pages: Pages } | undefined>
  putItem(table: string, item: unknown): Promise<boolean>
  deleteItem(table: string, key: unknown): Promise<boolean>
}

/** Options of {@link studioApp}. */
export type StudioAppOptions = {
  data: StudioData
  token: string
  /** The port the server listens on (Host and Origin must name it); read per request. */
  port: () => number
  /** The folder of the page (index.html, app.js, style.css); a 404 text when it does not exist. */
  pageDir: string
}

/** An error response: `{ error: { code, message, hint? } }`. */
type ErrorBody = { error: { code: string; message: string; hint?: string } }
type Status = 400 | 401 | 403 | 404 | 500

const TOKEN_HEADER = 'x-ddbm-token'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function fail(c: Context, status: Status, code: string, message: string, hint?: string) {
  const body: ErrorBody = { error: { code, message, ...(hint === undefined ? {} : { hint }) } }
  return c.json(body, status)
}

/**
 * The studio's Hono app (docs/studio.md): the safety checks on every request (Host, then Origin, then
 * for /api/* the token), the JSON routes over `data`, the vendored Preact and htm, and the page's static
 * files. Every response says `no-referrer` (the URL holds the token) and forbids framing and sniffing.
 */
export function studioApp(opts: StudioAppOptions): Hono {
  const { data, token } = opts
  const app = new Hono()

  app.use('*', async (c, next) => {
    const port = opts.port()
    if (!hostAllowed(c.req.header('host'), port)) {
      return fail(c, 403, 'FORBIDDEN_HOST', `Host must be 127.0.0.1:${port} or localhost:${port}`)
    }
    const origin = c.req.header('origin')
    if (origin !== undefined && !originAllowed(origin, port)) {
      return fail(c, 403, 'FORBIDDEN_ORIGIN', `Origin ${origin} may not use the studio`)
    }
    if (origin === undefined && !SAFE_METHODS.has(c.req.method)) {
      return fail(c, 403, 'FORBIDDEN_ORIGIN', `${c.req.method} needs the studio's own Origin`)
    }
    await next()
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('X-Frame-Options', 'DENY')
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    )
  })

  app.use('/api/*', async (c, next) => {
    if (!tokenMatches(c.req.header(TOKEN_HEADER), token)) {
      return fail(
        c,
        401,
        'UNAUTHORIZED',
        `Missing or wrong ${TOKEN_HEADER}`,
        'Open the URL `ddbm studio` printed (it carries ?token=...).',
      )
    }
    await next()
    c.header('Cache-Control', 'no-store')
  })
  app.use('/api/*', bodyLimit({ maxSize: 1024 * 1024 }))

  app.onError((err, c) => {
    if (isDdbmError(err, 'USAGE')) {
      return fail(c, 400, 'BAD_REQUEST', err.message, err.hintOverride)
    }
    if (isDdbmError(err)) return fail(c, 500, err.code, err.message, err.hint)
    if (err instanceof Error && '$metadata' in err) {
      return fail(c, 500, 'AWS_FAILED', `${err.name}: ${err.message}`)
    }
    return fail(c, 500, 'INTERNAL', `internal error: ${messageOf(err)}`)
  })

  const notFound = (c: Context, table: string) =>
    fail(c, 404, 'NOT_FOUND', `No table "${table}" in this environment`)
  const body = async (c: Context): Promise<unknown> => {
    try {
      return await c.req.json()
    } catch {
      return undefined
    }
  }

  app.get('/api/overview', async (c) => c.json(await data.overview()))
  app.get('/api/migrations', async (c) => c.json(await data.migrations()))
  app.get('/api/tables/:table', async (c) => {
    const found = await data.table(c.req.param('table'))
    return found === undefined ? notFound(c, c.req.param('table')) : c.json(found)
  })
  app.post('/api/tables/:table/items', async (c) => {
    const request = await body(c)
    if (request === undefined) return fail(c, 400, 'BAD_REQUEST', 'The body is not JSON')
    const page = await data.items(c.req.param('table'), request)
    return page === undefined ? notFound(c, c.req.param('table')) : c.json(page)
  })
  app.get('/api/tables/:table/export', async (c) => {
    const table = c.req.param('table')
    const format = c.req.query('format') ?? 'json'
    if (format !== 'json' && format !== 'csv') {
      return fail(c, 400, 'BAD_REQUEST', `format is json or csv, not ${format}`)
    }
    const q = c.req.query('q')
    let request: unknown = { mode: 'scan' }
    if (q !== undefined) {
      try {
        request = JSON.parse(Buffer.from(q, 'base64url').toString('utf8'))
      } catch {
        return fail(c, 400, 'BAD_REQUEST', 'q is not base64url of a JSON browse request')
      }
    }
    const found = await data.exportItems(table, request)
    if (found === undefined) return notFound(c, table)
    const chunks =
      format === 'csv' ? csvExport(found.pages, found.keyNames) : jsonExport(found.pages)
    c.header(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    )
    c.header('Content-Disposition', `attachment; filename="${fileName(table)}.${format}"`)
    return c.body(readable(chunks))
  })
  const refused = (c: Context) =>
    fail(
      c,
      403,
      'WRITES_DISABLED',
      'Writes are disabled: this environment is not the embedded engine',
      'Restart the studio with --allow-writes to edit and delete items here.',
    )
  app.put('/api/tables/:table/item', async (c) => {
    if (!data.writesAllowed) return refused(c)
    const request = await body(c)
    if (typeof request !== 'object' || request === null || !('item' in request)) {
      return fail(c, 400, 'BAD_REQUEST', 'The body is { "item": { ... } }')
    }
    if (!(await data.putItem(c.req.param('table'), request.item))) {
      return notFound(c, c.req.param('table'))
    }
    return c.json({ ok: true })
  })
  app.delete('/api/tables/:table/item', async (c) => {
    if (!data.writesAllowed) return refused(c)
    const request = await body(c)
    if (typeof request !== 'object' || request === null || !('key' in request)) {
      return fail(c, 400, 'BAD_REQUEST', 'The body is { "key": { ... } }')
    }
    if (!(await data.deleteItem(c.req.param('table'), request.key))) {
      return notFound(c, c.req.param('table'))
    }
    return c.json({ ok: true })
  })
  app.all('/api/*', (c) => fail(c, 404, 'NOT_FOUND', `No route ${c.req.method} ${c.req.path}`))

  app.get('/vendor/:file', async (c) => {
    const file = c.req.param('file')
    if (!(file in VENDOR_FILES)) return c.text('not found', 404)
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    c.header('Cache-Control', 'max-age=3600')
    return c.body(await vendorFile(file as keyof typeof VENDOR_FILES))
  })

  if (existsSync(opts.pageDir)) {
    app.get('*', serveStatic({ root: opts.pageDir }))
  }
  app.get('*', (c) => c.text('the studio page is not built', 404))
  return app
}

/** A file name from a table name: letters, digits, `.`, `_` and `-` only. */
function fileName(table: string): string {
  return table.replace(/[^A-Za-z0-9._-]/g, '_')
}

/** A byte stream of text chunks, pulled one at a time (a slow client slows the reads). */
function readable(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await chunks.next()
        if (next.done === true) controller.close()
        else controller.enqueue(encoder.encode(next.value))
      } catch (err) {
        controller.error(err)
      }
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}
