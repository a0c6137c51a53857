import { describe, expect, test } from 'vitest'
import { createClient, isLoopback, RETRY } from '../../../src/dynamo/client.js'

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
    const creds = await client.config.credentials()
    expect(creds.accessKeyId).toBe('ddbmlocal')
    client.destroy()
  })

  test('credentials from the environment win over the local fallback', async () => {
    const client = createClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:8000',
      profile: undefined,
      processEnv: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' },
    })
    expect(client.config.credentials).not.toBeUndefined()
    // The SDK's chain is in place (not our static pair): resolving it reads the real process env.
    const viaChain = await client.config
      .credentials()
      .then((c) => c.accessKeyId)
      .catch(() => 'unresolved')
    expect(viaChain).not.toBe('ddbmlocal')
    client.destroy()
  })
})

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
