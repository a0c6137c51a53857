import type { TestProject } from 'vitest/node'
import { startLocal } from '../../src/api/engine.js'
import { assertLoopback } from './engines.js'
import { MOTO_SERVER, motoInstalled, startMoto, type StartedMoto } from './moto.js'

/**
 * Starts, in parallel, one in-memory DynamoDB Local (through the library's public startLocal, as a user's
 * test suite would) and (when `scripts/setup-moto.sh` installed it) one moto server, each on a free
 * loopback port, for the whole run (nothing must outlive the run, so no data on disk). Tests get their
 * endpoints via `inject('dynamodbLocalEndpoint')` and `inject('motoEndpoint')` (empty when moto is not
 * installed; CI must have it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // DDBM_TEST_WITHOUT_MOTO=1 runs as on a machine without moto (test/e2e/suite-skips.test.ts checks that
  // its tests are then reported skipped, with the reason).
  const withMoto = motoInstalled() && process.env.DDBM_TEST_WITHOUT_MOTO !== '1'
  if (!withMoto && process.env.CI === 'true') {
    throw new Error(
      `moto server is required in CI but ${MOTO_SERVER} is missing: run scripts/setup-moto.sh`,
    )
  }
  if (!withMoto)
    console.warn(
      'moto server not installed: testing DynamoDB Local only (run scripts/setup-moto.sh)',
    )
  const [local, moto] = await Promise.allSettled([
    startLocal({ storage: 'memory' }),
    withMoto ? startMoto() : Promise.resolve(undefined),
  ])
  const teardown = async () => {
    await Promise.allSettled([
      local.status === 'fulfilled' ? local.value.stop() : undefined,
      moto.status === 'fulfilled' ? moto.value?.stop() : undefined,
    ])
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
