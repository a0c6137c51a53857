import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startLocal } from '../../src/local/dynamodb-local.js'
import { assertLoopback } from './engines.js'

/**
 * Starts one in-memory DynamoDB Local on a free loopback port for the whole run (nothing must outlive the
 * run, so no data on disk) and hands its endpoint to the tests via `inject('dynamodbLocalEndpoint')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'ddbm-test-engine-'))
  const engine = await startLocal({ dir, storage: 'memory', owner: 'command' })
  project.provide('dynamodbLocalEndpoint', assertLoopback(engine.endpoint))
  return async () => {
    await engine.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
