import { createHash } from 'node:crypto'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** What one BatchWriteItem HTTP attempt gets. */
export type Fault =
  /** forwarded untouched */
  | 'none'
  /** 400 ProvisionedThroughputExceededException, not forwarded */
  | 'throttle'
  /** 500 InternalServerError, not forwarded */
  | '500-before'
  /** forwarded (the write is applied), then answered 500 InternalServerError */
  | '500-after'
  /** only part of the batch forwarded, the rest reported as UnprocessedItems */
  | 'unprocessed'

/** Picks the fault of attempt number `index` (in order of arrival) with a PRNG seeded from its content. */
export type FaultChooser = (attempt: { index: number; random: () => number }) => Fault

/** Faults injected so far, and the BatchWriteItem HTTP attempts seen. */
export type FaultCounts = Record<Fault, number> & { attempts: number; unprocessedItems: number }

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Faults at the given rates (the rest `none`). */
export function randomFaults(rates: Partial<Record<Exclude<Fault, 'none'>, number>>): FaultChooser {
  return ({ random }) => {
    let r = random()
    for (const [fault, rate] of Object.entries(rates) as [Fault, number][]) {
      if (r < rate) return fault
      r -= rate
    }
    return 'none'
  }
}

type RawRequest = { body?: unknown; headers: Record<string, string> }
type RawResponse = { statusCode: number; headers: Record<string, string>; body?: unknown }

const JSON_TYPE = 'application/x-amz-json-1.0'

function response(statusCode: number, body: unknown): { response: RawResponse } {
  const bytes = Buffer.from(JSON.stringify(body))
  return {
    response: {
      statusCode,
      headers: { 'content-type': JSON_TYPE, 'content-length': String(bytes.length) },
      body: bytes,
    },
  }
}

function errorResponse(statusCode: number, type: string): { response: RawResponse } {
  return response(statusCode, {
    __type: `com.amazonaws.dynamodb.v20120810#${type}`,
    message: `injected ${type}`,
  })
}

/** The text of bytes, read through their buffer (Buffer.from(view) would call the SDK's string adapter). */
function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
}

async function readBody(body: unknown): Promise<string> {
  if (body instanceof Uint8Array) return utf8(body)
  const chunks: Buffer[] = []
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Injects faults into `client`'s BatchWriteItem calls at the HTTP level, just inside the deserializer:
 * below the SDK's retry middleware, so its own retries still run, and on the raw request and answer, so
 * the SDK parses injected errors as it would DynamoDB's. Each attempt's fault comes from `choose`, given
 * a PRNG seeded from `seed`, the requests of the batch and how often they were sent before: every run
 * makes the same decisions for the same batches whatever the interleaving of concurrent requests.
 */
export function injectFaults(
  client: DynamoDBClient,
  seed: number,
  choose: FaultChooser,
): FaultCounts {
  const counts: FaultCounts = {
    attempts: 0,
    none: 0,
    throttle: 0,
    '500-before': 0,
    '500-after': 0,
    unprocessed: 0,
    unprocessedItems: 0,
  }
  const sent = new Map<string, number>()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args)
      const request = args.request as RawRequest
      const body = request.body instanceof Uint8Array ? utf8(request.body) : String(request.body)
      // The requests only, not the table name (unique per test run), so every run decides alike.
      const requests = Object.values((JSON.parse(body) as { RequestItems: object }).RequestItems)
      const digest = createHash('sha256').update(JSON.stringify(requests)).digest('hex')
      const times = sent.get(digest) ?? 0
      sent.set(digest, times + 1)
      const seedOf = createHash('sha256').update(`${seed}:${digest}:${times}`).digest()
      const random = seededRandom(seedOf.readUInt32BE(0))
      const fault = choose({ index: counts.attempts++, random })
      counts[fault]++
      switch (fault) {
        case 'none':
          return next(args)
        case 'throttle':
          return errorResponse(400, 'ProvisionedThroughputExceededException')
        case '500-before':
          return errorResponse(500, 'InternalServerError')
        case '500-after': {
          const out = await next(args)
          await readBody((out.response as RawResponse).body)
          return errorResponse(500, 'InternalServerError')
        }
        case 'unprocessed': {
          const parsed = JSON.parse(body) as { RequestItems: Record<string, unknown[]> }
          const [table, requests] = Object.entries(parsed.RequestItems)[0] ?? ['', []]
          const keep: unknown[] = []
          const drop: unknown[] = []
          for (const r of requests) (random() < 0.5 ? keep : drop).push(r)
          if (drop.length === 0) drop.push(keep.pop())
          counts.unprocessedItems += drop.length
          let answer: { UnprocessedItems?: Record<string, unknown[]> } = {}
          if (keep.length > 0) {
            // A copy: the SDK resends the same request object when it retries an attempt.
            const partial = JSON.stringify({ ...parsed, RequestItems: { [table]: keep } })
            const headers = {
              ...request.headers,
              'content-length': String(Buffer.byteLength(partial)),
            }
            const out = await next({ ...args, request: { ...request, headers, body: partial } })
            const raw = out.response as RawResponse
            const text = await readBody(raw.body)
            if (raw.statusCode !== 200)
              return { ...out, response: { ...raw, body: Buffer.from(text) } }
            answer = JSON.parse(text) as typeof answer
          }
          const left = answer.UnprocessedItems?.[table] ?? []
          return response(200, {
            ...answer,
            UnprocessedItems: { ...answer.UnprocessedItems, [table]: [...left, ...drop] },
          })
        }
      }
    },
    // Low priority in the deserialize step: inside the deserializer (normal priority), on raw HTTP.
    { step: 'deserialize', priority: 'low', name: 'injectFaults' },
  )
  return counts
}
