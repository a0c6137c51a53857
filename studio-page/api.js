// The one place that talks to the studio server: every /api call carries the token from this page's
// own URL (`?token=`) in the x-ddbm-token header, and nowhere else.
/* global location, fetch, URL, URLSearchParams, TextEncoder, btoa, document, setTimeout */

const token = new URLSearchParams(location.search).get('token') ?? ''

/** An API error: the server's `{ error: { code, message, hint? } }` and the HTTP status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`)
    this.status = status
    this.code = body?.error?.code ?? `HTTP_${status}`
    this.hint = body?.error?.hint
  }
}

async function call(method, path, body) {
  const headers = { 'x-ddbm-token': token }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  })
  const text = await res.text()
  let json
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  if (!res.ok) throw new ApiError(res.status, json)
  return json
}

/** GET a JSON route. */
export const get = (path) => call('GET', path)
/** POST a JSON body to a route. */
export const post = (path, body) => call('POST', path, body)
/** PUT a JSON body to a route. */
export const put = (path, body) => call('PUT', path, body)
/** DELETE with a JSON body. */
export const del = (path, body) => call('DELETE', path, body)

/** `/api/tables/<table>` with the logical name escaped. */
export const tablePath = (table) => `/api/tables/${encodeURIComponent(table)}`

/** base64url of a JSON document (the export route's `q`). */
export function base64url(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value))
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Downloads `path` (an export route) with the token header, as a file named after the server's
 * Content-Disposition (a plain link could not carry the header, and the token stays out of URLs).
 */
export async function download(path, fallbackName) {
  const res = await fetch(path, { headers: { 'x-ddbm-token': token }, cache: 'no-store' })
  if (!res.ok) {
    let json
    try {
      json = await res.json()
    } catch {
      json = undefined
    }
    throw new ApiError(res.status, json)
  }
  const blob = await res.blob()
  const disposition = res.headers.get('content-disposition') ?? ''
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
