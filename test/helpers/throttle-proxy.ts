import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isLoopback } from '../../src/dynamo/client.js'
import { kindOfCommand } from '../../src/engine/backfill/throttle-watch.js'
import { LOOPBACK } from '../../src/local/free-port.js'

/** Requests per second let through, per kind; Infinity (or left out) = unlimited. */
export type ProxyLimits = { writesPerSec?: number; readsPerSec?: number }

export type ProxyCounts = { forwarded: number; throttled: number }

export type ProxyStats = ProxyCounts & {
  reads: ProxyCounts
  writes: ProxyCounts
  /** Control-plane requests (CreateTable, DescribeTable...): forwarded, never limited, not in `forwarded`. */
  other: number
}

export type ThrottleProxy = {
  /** `http://127.0.0.1:<port>`: point a DynamoDB client here. */
  endpoint: string
  /** Data-plane requests forwarded and throttled so far, in total and per kind. */
  stats(): ProxyStats
  /** Replaces the limits of the kinds given (Infinity removes one). */
  setLimit(limits: ProxyLimits): void
  /** Stops listening, cuts open connections and ends the forwarding agent. */
  close(): Promise<void>
}

/**
 * The body DynamoDB answers a throttled request with (HTTP 400), parsed by the SDK's JSON 1.0 protocol
 * from `__type` (the part after `#` is the error name).
 */
export const THROTTLE_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
})

/**
 * A loopback HTTP proxy in front of a test engine that throttles like a provisioned table: a data-plane
 * request (kind from its X-Amz-Target header: Scan, Query, GetItem, BatchGetItem, TransactGetItems are
 * reads, PutItem, UpdateItem, DeleteItem, BatchWriteItem... writes) is answered with a genuine
 * ProvisionedThroughputExceededException when as many requests of its kind as the limit were forwarded in
 * the last second; otherwise it is forwarded unchanged. Limits count requests, not capacity units.
 * Both the proxy and its target are loopback only.
 */
export async function startThrottleProxy(
  opts: { target: string } & ProxyLimits,
): Promise<ThrottleProxy> {
  if (!isLoopback(opts.target)) throw new Error(`refusing non-loopback target ${opts.target}`)
  const target = new URL(opts.target)
  const limits = { read: Infinity, write: Infinity }
  const setLimit = (l: ProxyLimits) => {
    if (l.readsPerSec !== undefined) limits.read = l.readsPerSec
    if (l.writesPerSec !== undefined) limits.write = l.writesPerSec
  }
  setLimit(opts)
  const recent = { read: [] as number[], write: [] as number[] }
  const counts = {
    read: { forwarded: 0, throttled: 0 },
    write: { forwarded: 0, throttled: 0 },
    other: 0,
  }
  const agent = new Agent({ keepAlive: true })

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`throttle proxy: ${err.message}`)
    })
    upstream.end(body)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const header = req.headers['x-amz-target']
      const operation = (Array.isArray(header) ? header[0] : header)?.split('.').pop()
      const kind = kindOfCommand(operation)
      if (kind === undefined) {
        counts.other++
        forward(req, body, res)
        return
      }
      const now = performance.now()
      const window = recent[kind]
      while (window.length > 0 && window[0]! <= now - 1000) window.shift()
      if (window.length >= limits[kind]) {
        counts[kind].throttled++
        res.writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(THROTTLE_BODY),
          'x-amzn-requestid': `throttle-proxy-${counts[kind].throttled}`,
        })
        res.end(THROTTLE_BODY)
        return
      }
      window.push(now)
      counts[kind].forwarded++
      forward(req, body, res)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, LOOPBACK, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    stats: () => ({
      forwarded: counts.read.forwarded + counts.write.forwarded,
      throttled: counts.read.throttled + counts.write.throttled,
      reads: { ...counts.read },
      writes: { ...counts.write },
      other: counts.other,
    }),
    setLimit,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          agent.destroy()
          if (err === undefined) resolve()
          else reject(err)
        })
        server.closeAllConnections()
      }),
  }
}
