import { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Retry policy, set explicitly so an SDK upgrade cannot change it silently (docs/dynamodb-rules.md, "SDK configuration"). */
export const RETRY = { maxAttempts: 5, retryMode: 'standard' } as const
/** Socket timeouts, so a hung connection cannot stall a lock heartbeat. */
export const TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 } as const

/** Credentials for engines on loopback (DynamoDB Local wants alphanumeric keys; moto accepts any). */
const LOOPBACK_CREDENTIALS = { accessKeyId: 'ddbmlocal', secretAccessKey: 'ddbmlocal' }

/** Region used for loopback endpoints when none is configured. */
export const LOCAL_REGION = 'us-east-1'

export type ClientOptions = {
  region: string | undefined
  /** An http(s) URL; undefined for the AWS default endpoint of the region. */
  endpoint: string | undefined
  profile: string | undefined
  /** The process environment, to see whether the user set credentials of their own. */
  processEnv: Record<string, string | undefined>
}

/**
 * The one place that constructs a DynamoDBClient. Credentials come from the standard AWS chain (env, profile,
 * SSO, instance roles); for a loopback endpoint with no credentials configured, fixed local ones are used so
 * a newcomer needs no AWS setup. No logger is passed: the SDK's default logs nothing, so neither requests nor
 * credentials can reach the output.
 */
export function createClient(opts: ClientOptions): DynamoDBClient {
  const ownCredentials =
    opts.profile !== undefined ||
    opts.processEnv.AWS_ACCESS_KEY_ID !== undefined ||
    opts.processEnv.AWS_PROFILE !== undefined
  const local = opts.endpoint !== undefined && isLoopback(opts.endpoint)
  // Local engines ignore the region; any fixed one spares the user an AWS setup.
  const region = opts.region ?? (local ? LOCAL_REGION : undefined)
  return new DynamoDBClient({
    ...(region === undefined ? {} : { region }),
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
    ...(opts.profile === undefined ? {} : { profile: opts.profile }),
    ...(local && !ownCredentials ? { credentials: LOOPBACK_CREDENTIALS } : {}),
    maxAttempts: RETRY.maxAttempts,
    retryMode: RETRY.retryMode,
    requestHandler: { ...TIMEOUTS },
  })
}

/** True when the URL's host is 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    return false
  }
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
