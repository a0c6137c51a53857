import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { tmpProject } from '../helpers/temp-tree.js'
import { alive, javaFor } from '../helpers/processes.js'

/** True when something accepts connections on 127.0.0.1:port. */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

describe('ddbm local start | status | stop', () => {
  test('starts in the background on a free loopback port, reports it, stops leaving nothing behind', async () => {
    const cwd = await tmpProject()
    const start = await ddbm(['local', 'start', '--json'], { cwd })
    expect(start.code).toBe(0)
    const started = JSON.parse(start.stdout)
    expect(started).toMatchObject({
      ok: true,
      command: 'local start',
      result: { running: true, storage: 'disk', owner: 'user' },
    })
    const { port, pid, endpoint, dataDir } = started.result
    expect(endpoint).toBe(`http://127.0.0.1:${port}`)
    expect(dataDir).toBe(join(cwd, '.ddbm', 'data'))
    expect(existsSync(dataDir)).toBe(true)
    expect(await portOpen(port)).toBe(true)

    const status = await ddbm(['local', 'status', '--json'], { cwd })
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout).result).toMatchObject({ running: true, port, pid })

    const again = await ddbm(['local', 'start', '--json'], { cwd })
    expect(JSON.parse(again.stdout).result).toMatchObject({ running: true, port, pid })

    const stop = await ddbm(['local', 'stop', '--json'], { cwd })
    expect(stop.code).toBe(0)
    expect(JSON.parse(stop.stdout).result).toStrictEqual({ stopped: true, pid, port })
    expect(alive(pid)).toBe(false)
    expect(await portOpen(port)).toBe(false)
    expect(javaFor(cwd)).toStrictEqual([])

    const after = await ddbm(['local', 'status', '--json'], { cwd })
    expect(JSON.parse(after.stdout).result).toStrictEqual({ running: false })
    const stopAgain = await ddbm(['local', 'stop'], { cwd })
    expect([stopAgain.code, stopAgain.stdout.trim()]).toStrictEqual([0, 'not running'])
  })

  test('--storage memory keeps no data directory; human output names the endpoint', async () => {
    const cwd = await tmpProject()
    const start = await ddbm(['local', 'start', '--storage', 'memory'], { cwd })
    expect(start.code).toBe(0)
    expect(start.stdout.split('\n')).toStrictEqual([
      'DynamoDB Local  running',
      expect.stringMatching(/^endpoint {8}http:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^pid {13}\d+$/),
      'storage         memory',
      expect.stringMatching(/^since {11}\S+$/),
      'started by      `ddbm local start`',
      '',
    ])
    expect(existsSync(join(cwd, '.ddbm', 'data'))).toBe(false)
    const stop = await ddbm(['local', 'stop'], { cwd })
    expect(stop.stdout).toMatch(/^stopped \(pid \d+\)\n$/)
    expect(javaFor(cwd)).toStrictEqual([])
  })

  test('without Java: exit 1, JAVA_MISSING, saying what to install', async () => {
    const cwd = await tmpProject()
    const run = await ddbm(['local', 'start', '--json'], {
      cwd,
      env: { PATH: '/nonexistent', JAVA_HOME: undefined },
    })
    expect(run.code).toBe(1)
    const error = JSON.parse(run.stdout).error
    expect(error.code).toBe('JAVA_MISSING')
    expect(error.message).toContain('no `java` is on PATH')
    expect(error.hint).toContain('Java 17')
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
  })
})
