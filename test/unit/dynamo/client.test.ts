import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test, vi } from 'vitest'
import { createClient, isLoopback, RETRY } from '../../../src/dynamo/client.js'
import { tempTree } from '../../helpers/temp-tree.js'

describe('createClient', () => {
  test('sets the retry policy explicitly, whatever the SDK default of the day', async () => {
    const client = createClient({
      region: 'eu-west-1',
      endpoint: undefined,
      profile: undefined,
      processEnv: {},
    })
    expect(await client.config.maxAttempts()).toBe(RETRY.maxAttempts)
    const strategy = (await client.config.retryStrategy()) as unknown as {
      mode: string
      maxAttemptsProvider: () => Promise<number>
    }
    expect(strategy.mode).toBe('standard')
    expect(await strategy.maxAttemptsProvider()).toBe(5)
    expect(await client.config.region()).toBe('eu-west-1')
    client.destroy()
  })

  test('gives the SDK no logger that could print requests or credentials', () => {
    const client = createClient({
      region: 'us-east-1',
      endpoint: undefined,
      profile: undefined,
      processEnv: {},
    })
    const logger = client.config.logger as unknown as Record<string, unknown>
    expect(logger.constructor?.name).toBe('NoOpLogger')
    client.destroy()
  })

  test('loopback endpoint without own credentials uses fixed local ones', async () => {
    const client = createClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000',
      profile: undefined,
      processEnv: {},
    })
    onTestFinished(() => client.destroy())
    expect(whose(await client.config.credentials())).toStrictEqual({
      accessKeyId: 'ddbmlocal',
      secret: 'LOCAL',
    })
  })

  test.each([
    ['a loopback endpoint', 'http://127.0.0.1:8000'],
    ['an AWS endpoint', 'https://dynamodb.eu-west-1.amazonaws.com'],
    ['the default endpoint', undefined],
  ])('credentials from the environment win over the local fallback: %s', async (_, endpoint) => {
    isolateCredentials({ AWS_ACCESS_KEY_ID: ENV_KEY_ID, AWS_SECRET_ACCESS_KEY: ENV_SECRET })
    const client = createClient({
      region: 'us-east-1',
      endpoint,
      profile: undefined,
      processEnv: { AWS_ACCESS_KEY_ID: ENV_KEY_ID, AWS_SECRET_ACCESS_KEY: ENV_SECRET },
    })
    onTestFinished(() => client.destroy())
    expect(whose(await client.config.credentials())).toStrictEqual({
      accessKeyId: ENV_KEY_ID,
      secret: 'ENV_SECRET',
    })
  })

  test('a profile wins over the local fallback: its credentials are used on loopback', async () => {
    const dir = await tempTree('ddbm-aws-', {
      credentials: `[ci]\naws_access_key_id = ${PROFILE_KEY_ID}\naws_secret_access_key = ${PROFILE_SECRET}\n`,
      config: '[profile ci]\nregion = eu-west-1\n',
    })
    isolateCredentials({
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
    })
    const client = createClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000',
      profile: 'ci',
      processEnv: {},
    })
    onTestFinished(() => client.destroy())
    expect(whose(await client.config.credentials())).toStrictEqual({
      accessKeyId: PROFILE_KEY_ID,
      secret: 'PROFILE_SECRET',
    })
  })
})

/** Made-up credentials; the tests never print any other secret (see whose). */
const ENV_KEY_ID = 'AKIDDDBMTESTENV'
const ENV_SECRET = 'ddbm-test-env-secret'
const PROFILE_KEY_ID = 'AKIDDDBMTESTPROFILE'
const PROFILE_SECRET = 'ddbm-test-profile-secret'

/**
 * Sets `vars` and hides every other source the SDK's credential chain reads from the environment (real
 * AWS_* variables, ~/.aws files), until the test ends.
 */
function isolateCredentials(vars: Record<string, string>): void {
  onTestFinished(() => {
    vi.unstubAllEnvs()
  })
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_')) vi.stubEnv(name, undefined)
  }
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(tmpdir(), 'ddbm-no-such-credentials'))
  vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), 'ddbm-no-such-config'))
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true')
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value)
}

/**
 * Which made-up credentials `c` are, without their secret: a failing assertion prints this, never the
 * secret of credentials the chain may have found elsewhere.
 */
function whose(c: { accessKeyId: string; secretAccessKey: string }): {
  accessKeyId: string
  secret: string
} {
  const known = [ENV_KEY_ID, PROFILE_KEY_ID, 'ddbmlocal']
  const secrets: Record<string, string> = {
    ENV_SECRET,
    PROFILE_SECRET,
    LOCAL: 'ddbmlocal',
  }
  return {
    accessKeyId: known.includes(c.accessKeyId) ? c.accessKeyId : '(another)',
    secret:
      Object.entries(secrets).find(([, value]) => value === c.secretAccessKey)?.[0] ?? '(another)',
  }
}

describe('isLoopback', () => {
  test.each([
    ['http://127.0.0.1:8000', true],
    ['http://127.8.9.10:1', true],
    ['http://localhost:4566', true],
    ['http://[::1]:8000', true],
    ['https://dynamodb.eu-west-1.amazonaws.com', false],
    ['http://10.0.0.5:8000', false],
    ['http://127.0.0.1.nip.io:8000', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopback(url)).toBe(expected)
  })
})
