import { isConnectionError } from '../../dynamo/aws-errors.js'

/**
 * How the writer treats a failed BatchWriteItem call (after the SDK's own retries gave up):
 * - `throttle`: the table or account is over its throughput; back off, resend, lower the concurrency;
 * - `retryable`: a 5xx or a network failure; back off and resend (PutRequest and DeleteRequest are
 *   idempotent, so resending a batch that was applied before a 500 leaves the same items);
 * - `item`: the request was refused for its content (ValidationException: an item too large, a key of
 *   the wrong type, two requests on one key); resending the same items cannot help;
 * - `fatal`: the whole call can never succeed (no such table, no access, bad credentials); the writer stops.
 */
export type FailureKind = 'throttle' | 'retryable' | 'item' | 'fatal'

/** Error names DynamoDB uses for throttling (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html). */
const THROTTLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'Throttling',
])

/** Server-side failures worth another try. */
const RETRYABLE_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
])

/** Failures of the call itself, the same for every batch: stop instead of failing millions of items. */
const FATAL_NAMES = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'CredentialsProviderError',
])

/** Classifies a thrown value by the SDK's error `name` and HTTP status, never by message text. */
export function classifyFailure(err: unknown): FailureKind {
  const name = err instanceof Error ? err.name : ''
  if (THROTTLE_NAMES.has(name)) return 'throttle'
  if (FATAL_NAMES.has(name)) return 'fatal'
  if (RETRYABLE_NAMES.has(name) || isConnectionError(err) || isSocketError(err)) return 'retryable'
  const status = (err as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata
    ?.httpStatusCode
  if (typeof status === 'number' && status >= 500) return 'retryable'
  return 'item'
}

/** Node's socket failures that isConnectionError does not name. */
function isSocketError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && ['EPIPE', 'ECONNABORTED', 'EAI_AGAIN'].includes(code)
}

/** Backoff of the writer's own resends: first ceiling and the cap it doubles up to. */
export const WRITE_BACKOFF = { baseMs: 50, capMs: 5_000 } as const

/**
 * Delay before resend number `retry` (1-based): capped exponential backoff with full jitter, a random
 * value in [0, min(cap, base * 2^(retry-1))), which spreads the resends of many concurrent batches
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function retryDelay(retry: number, random: () => number): number {
  return random() * Math.min(WRITE_BACKOFF.capMs, WRITE_BACKOFF.baseMs * 2 ** (retry - 1))
}
