import { request } from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startStudio } from '../../src/api/index.js'
import { describeOn, engines } from '../helpers/engines.js'
import { exampleProject, type ExampleProject } from './project.js'

type Studio = Awaited<ReturnType<typeof startStudio>>
type Answer = { status: number; code?: string }

/**
 * One plain HTTP request to the studio on 127.0.0.1 with exactly `headers` (node:http, so that Host and
 * Origin are sent as given, as a rebinding page or another site would send them).
 */
function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, setHost: false },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => {
          let code: string | undefined
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code
          } catch {
            code = undefined
          }
          resolve({ status: res.statusCode ?? 0, ...(code === undefined ? {} : { code }) })
        })
      },
    )
    req.on('error', reject)
    if (body !== undefined) {
      req.setHeader('content-type', 'application/json')
      req.end(JSON.stringify(body))
    } else req.end()
  })
}

const engine = engines()[0]!

describeOn(engine, `${engine.name}: the studio refuses a wrong token, Host or Origin`, () => {
  let project: ExampleProject
  let studio: Studio

  beforeAll(async () => {
    project = await exampleProject(engine)
    studio = await startStudio({ ...project.base, allowWrites: true })
  }, 60_000)

  afterAll(async () => {
    await studio?.close()
    await project?.remove()
  })

  test('token: missing or wrong → 401 on every /api route; right → 200; the page itself needs none', async () => {
    const host = `127.0.0.1:${studio.port}`
    const answers = {
      none: await call(studio.port, 'GET', '/api/overview', { host }),
      wrong: await call(studio.port, 'GET', '/api/overview', {
        host,
        'x-ddbm-token': `${studio.token.slice(0, -1)}x`,
      }),
      query: await call(studio.port, 'GET', `/api/overview?token=${studio.token}`, { host }),
      right: await call(studio.port, 'GET', '/api/overview', {
        host,
        'x-ddbm-token': studio.token,
      }),
      localhost: await call(studio.port, 'GET', '/api/overview', {
        host: `localhost:${studio.port}`,
        'x-ddbm-token': studio.token,
      }),
      page: await call(studio.port, 'GET', '/', { host }),
      app: await call(studio.port, 'GET', '/app.js', { host }),
      vendor: await call(studio.port, 'GET', '/vendor/preact.js', { host }),
    }
    expect(answers).toStrictEqual({
      none: { status: 401, code: 'UNAUTHORIZED' },
      wrong: { status: 401, code: 'UNAUTHORIZED' },
      query: { status: 401, code: 'UNAUTHORIZED' },
      right: { status: 200 },
      localhost: { status: 200 },
      page: { status: 200 },
      app: { status: 200 },
      vendor: { status: 200 },
    })
  })

  test('Host: any other name than 127.0.0.1 or localhost with the port → 403, static files too', async () => {
    const token = studio.token
    const answers = await Promise.all(
      [`evil.example:${studio.port}`, '127.0.0.1', `127.0.0.1:${studio.port + 1}`, 'localhost'].map(
        async (host) => ({
          host,
          api: await call(studio.port, 'GET', '/api/overview', { host, 'x-ddbm-token': token }),
          page: await call(studio.port, 'GET', '/', { host }),
        }),
      ),
    )
    for (const a of answers) {
      expect(a.api.status, a.host).toBe(403)
      expect(a.page.status, a.host).toBe(403)
    }
  })

  test('Origin: another site → 403; a write without the studio’s own Origin → 403', async () => {
    const host = `127.0.0.1:${studio.port}`
    const token = studio.token
    const item = { item: { PK: 'x', SK: 'y' } }
    const answers = {
      otherSiteRead: await call(studio.port, 'GET', '/api/overview', {
        host,
        origin: 'http://evil.example',
        'x-ddbm-token': token,
      }),
      otherPortRead: await call(studio.port, 'GET', '/api/overview', {
        host,
        origin: `http://127.0.0.1:${studio.port + 1}`,
        'x-ddbm-token': token,
      }),
      otherSiteWrite: await call(
        studio.port,
        'PUT',
        '/api/tables/ProgramConfig/item',
        { host, origin: 'http://evil.example', 'x-ddbm-token': token },
        item,
      ),
      writeWithoutOrigin: await call(
        studio.port,
        'PUT',
        '/api/tables/ProgramConfig/item',
        { host, 'x-ddbm-token': token },
        item,
      ),
      browseWithoutOrigin: await call(
        studio.port,
        'POST',
        '/api/tables/ProgramConfig/items',
        { host, 'x-ddbm-token': token },
        { mode: 'scan' },
      ),
      ownOrigin: await call(studio.port, 'GET', '/api/overview', {
        host,
        origin: `http://127.0.0.1:${studio.port}`,
        'x-ddbm-token': token,
      }),
    }
    expect(answers.otherSiteRead.status).toBe(403)
    expect(answers.otherPortRead.status).toBe(403)
    expect(answers.otherSiteWrite.status).toBe(403)
    expect(answers.writeWithoutOrigin.status).toBe(403)
    expect(answers.browseWithoutOrigin.status).toBe(403)
    expect(answers.ownOrigin).toStrictEqual({ status: 200 })
  })
})
