import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrateUp, startStudio } from '../../src/api/index.js'
import {
  describeInBrowser,
  launchBrowser,
  newPage,
  screenshot,
  type Browser,
} from '../helpers/browser.js'
import { engineClient, engines } from '../helpers/engines.js'
import { exampleProject, type ExampleProject } from './project.js'

const KEY = { PK: 'CONF#studio', SK: 'v1' }
const ITEM = { ...KEY, label: 'before', enabled: true }

for (const engine of engines()) {
  describeInBrowser(engine, `${engine.name}: item writes in the studio`, () => {
    let project: ExampleProject
    let browser: Browser
    let client: DynamoDBClient

    beforeAll(async () => {
      project = await exampleProject(engine)
      client = engineClient(engine)
      await migrateUp({ ...project.base, to: '0001_create_tables', verify: false })
      browser = await launchBrowser()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      client?.destroy()
      await project?.remove()
    })

    const getItem = async () => {
      const out = await client.send(
        new GetItemCommand({
          TableName: project.table('ProgramConfig'),
          Key: marshall(KEY),
          ConsistentRead: true,
        }),
      )
      return out.Item === undefined ? undefined : unmarshall(out.Item)
    }
    const putItem = () =>
      client.send(
        new PutItemCommand({ TableName: project.table('ProgramConfig'), Item: marshall(ITEM) }),
      )

    test('with --allow-writes, an item is edited, then deleted, from the item browser', async () => {
      await putItem()
      const studio = await startStudio({ ...project.base, allowWrites: true })
      try {
        const { page, errors } = await newPage(browser)
        page.on('dialog', (d) => void d.accept())
        await page.goto(`${studio.url}#/tables/ProgramConfig/items`)
        await page.getByTestId('query-form').waitFor()
        await page.getByLabel('query').check()
        await page.locator('input[name=pk]').fill(KEY.PK)
        await page.locator('[data-testid=query-form] button[type=submit]').click()
        await page.locator('[data-testid=items] tbody tr').first().waitFor()
        expect(await page.getByTestId('read-only').count()).toBe(0)

        await page.getByRole('button', { name: 'Edit' }).click()
        await page.locator('textarea[name=item]').fill(JSON.stringify({ ...ITEM, label: 'after' }))
        await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/item') && r.request().method() === 'PUT'),
          page.getByRole('button', { name: 'Save' }).click(),
        ])
        await page.getByTestId('editor').waitFor({ state: 'detached' })
        expect(await getItem()).toStrictEqual({ ...ITEM, label: 'after' })
        await screenshot(page, engine.name, 'items-writable')

        await Promise.all([
          page.waitForResponse(
            (r) => r.url().endsWith('/item') && r.request().method() === 'DELETE',
          ),
          page.getByRole('button', { name: 'Delete' }).click(),
        ])
        expect(await getItem()).toBeUndefined()
        expect(errors).toStrictEqual([])
      } finally {
        await studio.close()
      }
    })

    test('without --allow-writes, on an endpoint (not the embedded engine), writes are refused', async () => {
      await putItem()
      const studio = await startStudio({ ...project.base })
      try {
        const { page } = await newPage(browser)
        await page.goto(`${studio.url}#/`)
        const overview = await page.evaluate(async (token) => {
          const res = await fetch('/api/overview', { headers: { 'x-ddbm-token': token } })
          return (await res.json()) as { allowWrites: boolean; embedded: boolean }
        }, studio.token)
        // A DynamoDB Local or moto at a URL is an endpoint like any other: only the embedded engine is local.
        expect(overview).toMatchObject({ allowWrites: false, embedded: false })
        expect(studio.allowWrites).toBe(false)

        await page.goto(`${studio.url}#/tables/ProgramConfig/items`)
        await page.getByTestId('query-form').waitFor()
        await page.locator('[data-testid=query-form] button[type=submit]').click()
        await page.locator('[data-testid=items] tbody tr').first().waitFor()
        expect(await page.getByTestId('read-only').textContent()).toBe(
          'read-only: start with --allow-writes',
        )
        expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0)
        expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
        await screenshot(page, engine.name, 'items-read-only')

        // The server refuses too, whatever a page sends.
        const refused = await page.evaluate(
          async ({ token, item }) => {
            const put = await fetch('/api/tables/ProgramConfig/item', {
              method: 'PUT',
              headers: { 'x-ddbm-token': token, 'content-type': 'application/json' },
              body: JSON.stringify({ item: { ...item, label: 'changed' } }),
            })
            const del = await fetch('/api/tables/ProgramConfig/item', {
              method: 'DELETE',
              headers: { 'x-ddbm-token': token, 'content-type': 'application/json' },
              body: JSON.stringify({ key: { PK: item.PK, SK: item.SK } }),
            })
            return [
              {
                status: put.status,
                code: ((await put.json()) as { error: { code: string } }).error.code,
              },
              {
                status: del.status,
                code: ((await del.json()) as { error: { code: string } }).error.code,
              },
            ]
          },
          { token: studio.token, item: ITEM },
        )
        expect(refused).toStrictEqual([
          { status: 403, code: 'WRITES_DISABLED' },
          { status: 403, code: 'WRITES_DISABLED' },
        ])
        expect(await getItem()).toStrictEqual(ITEM)
      } finally {
        await studio.close()
      }
    })
  })
}
