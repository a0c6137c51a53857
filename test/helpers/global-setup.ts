import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startLocal } from '../../src/local/dynamodb-local.js'
import { assertLoopback } from './engines.js'
import { MOTO_SERVER, motoInstalled, startMoto, type StartedMoto } from './moto.js'

/**
 * Starts, in parallel, one in-memory DynamoDB Local and (when `scripts/setup-moto.sh` installed it) one
 * moto server, each on a free loopback port, for the whole run (nothing must outlive the run, so no data
 * on disk). Tests get their endpoints via `inject('dynamodbLocalEndpoint')` and `inject('motoEndpoint')`
 * (empty when moto is not installed; CI must have it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const withMoto = motoInstalled()
  if (!withMoto && process.env.CI === 'true') {
    throw new Error(
      `moto server is required in CI but ${MOTO_SERVER} is missing: run scripts/setup-moto.sh`,
    )
  }
  if (!withMoto)
    console.warn(
      'moto server not installed: testing DynamoDB Local only (run scripts/setup-moto.sh)',
    )
  const dir = await mkdtemp(join(tmpdir(), 'ddbm-test-engine-'))
  const [local, moto] = await Promise.allSettled([
    startLocal({ dir, storage: 'memory', owner: 'command' }),
    withMoto ? startMoto() : Promise.resolve(undefined),
  ])
  const teardown = async () => {
    await Promise.allSettled([
      local.status === 'fulfilled' ? local.value.stop() : undefined,
      moto.status === 'fulfilled' ? moto.value?.stop() : undefined,
    ])
    await rm(dir, { recursive: true, force: true })
  }
  if (local.status === 'rejected' || moto.status === 'rejected') {
    await teardown()
    throw local.status === 'rejected' ? local.reason : (moto as PromiseRejectedResult).reason
  }
  project.provide('dynamodbLocalEndpoint', assertLoopback(local.value.endpoint))
  const started: StartedMoto | undefined = moto.value
  project.provide('motoEndpoint', started ? assertLoopback(started.endpoint) : '')
  return teardown
}
