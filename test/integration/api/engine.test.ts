import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import { dirname } from 'node:path'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { startLocal, type LocalEngine } from '../../../src/api/index.js'
import type { Event } from '../../../src/events.js'
import { isPortOpen } from '../../../src/local/free-port.js'
import { engineClient } from '../../helpers/engines.js'
import { alive } from '../../helpers/processes.js'

/** The Java process's arguments and the folder of its log (its stdout): the engine's temp folder. */
function inspect(engine: LocalEngine): { args: string[]; dir: string } {
  const args = readFileSync(`/proc/${engine.pid}/cmdline`, 'utf8').split('\0')
  return { args, dir: dirname(readlinkSync(`/proc/${engine.pid}/fd/1`)) }
}

async function tableCount(endpoint: string): Promise<number> {
  const client = engineClient({ endpoint })
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames?.length ?? -1
  } finally {
    client.destroy()
  }
}

describe('startLocal: a DynamoDB Local of its own for a test suite', () => {
  test('in memory by default on a free loopback port; stop() ends Java, frees the port and removes its temp folder, once', async () => {
    const events: Event[] = []
    const engine = await startLocal({ emit: (e) => events.push(e) })
    const { pid, port } = engine
    let seen: { args: string[]; dir: string }
    try {
      expect([engine.endpoint, engine.storage]).toStrictEqual([
        `http://127.0.0.1:${port}`,
        'memory',
      ])
      seen = inspect(engine)
      expect(seen.args).toContain('-inMemory')
      expect(seen.dir).toMatch(/\/ddbm-local-[^/]+$/)
      expect(await tableCount(engine.endpoint)).toBe(0)
    } finally {
      await engine.stop()
    }
    expect([alive(pid), await isPortOpen(port), existsSync(seen.dir)]).toStrictEqual([
      false,
      false,
      false,
    ])
    await engine.stop()
    expect(events).toStrictEqual([
      { kind: 'local', status: 'starting', port, storage: 'memory' },
      { kind: 'local', status: 'ready', port, storage: 'memory', ms: expect.any(Number) },
      { kind: 'local', status: 'stopping', port },
      { kind: 'local', status: 'stopped', port },
    ])
  })

  test('storage "disk": the data lives in the engine’s temp folder and goes with it', async () => {
    const engine = await startLocal({ storage: 'disk' })
    let seen: { args: string[]; dir: string }
    try {
      seen = inspect(engine)
      const dbPath = seen.args[seen.args.indexOf('-dbPath') + 1]
      expect([engine.storage, dbPath, existsSync(`${seen.dir}/data`)]).toStrictEqual([
        'disk',
        `${seen.dir}/data`,
        true,
      ])
    } finally {
      await engine.stop()
    }
    expect([alive(engine.pid), existsSync(seen.dir)]).toStrictEqual([false, false])
  })
})
