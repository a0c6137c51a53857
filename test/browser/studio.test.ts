import {
  QueryCommand,
  UpdateTableCommand,
  type DynamoDBClient,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrateUp, seed, startStudio } from '../../src/api/index.js'
import { waitForTableActive } from '../../src/dynamo/wait.js'
import {
  describeInBrowser,
  launchBrowser,
  newPage,
  screenshot,
  type Browser,
} from '../helpers/browser.js'
import { engineClient, engines } from '../helpers/engines.js'
import { exampleProject, type ExampleProject } from './project.js'

type Studio = Awaited<ReturnType<typeof startStudio>>

const EXAMPLE_TABLES = ['Candidates', 'EngagementHistory', 'ProgramConfig', 'ScoreCache', 'items']
const FIRST_TWO = '0002_add_active_candidates_index'
const BACKFILL = '0003_backfill_active_flag'

type Item = Record<string, unknown>

/** Every item of a query on `index` of `table` (`condition` over the attribute names in `names`). */
async function queryAll(
  client: DynamoDBClient,
  table: string,
  index: string,
  condition: string,
  names: Record<string, string>,
  values: Record<string, string | number>,
): Promise<Item[]> {
  const items: Item[] = []
  let start: QueryCommandOutput['LastEvaluatedKey']
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values),
        ExclusiveStartKey: start,
      }),
    )
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)))
    start = page.LastEvaluatedKey
  } while (start !== undefined)
  return items
}

/** The primary keys of items, sorted: what two result sets are compared by. */
const keysOf = (items: Item[]) => items.map((i) => `${String(i.PK)} ${String(i.SK)}`).sort()

/** The items the item browser shows (each row's JSON). */
async function shownItems(page: Page): Promise<Item[]> {
  const texts = await page.locator('[data-testid=items] tbody pre').allTextContents()
  return texts.map((t) => JSON.parse(t) as Item)
}

/** Submits the query form and waits until the page shows the new result. */
async function runQuery(page: Page): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/items') && r.request().method() === 'POST'),
    page.locator('[data-testid=query-form] button[type=submit]').click(),
  ])
  await page.locator('[data-testid=pager]').waitFor()
}

for (const engine of engines()) {
  describeInBrowser(engine, `${engine.name}: ddbm studio in Chromium`, () => {
    let project: ExampleProject
    let browser: Browser
    let studio: Studio
    let client: DynamoDBClient
    let page: Page
    let errors: string[]

    beforeAll(async () => {
      project = await exampleProject(engine)
      client = engineClient(engine)
      // 0001 and 0002 applied and seeded; 0003 (the backfill) is left for a test to apply.
      await migrateUp({ ...project.base, to: FIRST_TWO })
      await seed({ ...project.base })
      browser = await launchBrowser()
      studio = await startStudio({ ...project.base })
      ;({ page, errors } = await newPage(browser))
    }, 240_000)

    afterAll(async () => {
      await studio?.close()
      await browser?.close()
      client?.destroy()
      await project?.remove()
    })

    const open = (hash: string) => page.goto(`${studio.url}${hash}`)

    test('the overview lists the example tables: status, item count, verify at a glance', async () => {
      expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/)
      await open('#/')
      const rows = page.locator('[data-testid=tables] tbody tr')
      await rows.first().waitFor()
      const tables = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-table')))
      expect(tables.sort()).toStrictEqual([...EXAMPLE_TABLES].sort())
      for (const logical of EXAMPLE_TABLES) {
        const row = page.locator(`tr[data-table="${logical}"]`)
        expect(await row.locator('td').nth(1).textContent()).toBe(project.table(logical))
        expect(await row.locator('[data-status]').first().getAttribute('data-status')).toBe(
          'ACTIVE',
        )
        const verify = await row.locator('[data-status]').nth(1).getAttribute('data-status')
        expect(['ok', 'unsupported', 'pending']).toContain(verify)
      }
      const env = await page.locator('[data-testid=environment]').textContent()
      expect(env).toContain(engine.endpoint)
      expect(env).toContain('us-east-1')
      expect(await page.getByTestId('env-name').textContent()).toBe('local')
      await screenshot(page, engine.name, 'overview', { docs: engine.name === 'moto' })
      expect(errors).toStrictEqual([])
    })

    test('a migration applied while the studio runs appears in the timeline, with its steps', async () => {
      await open('#/migrations')
      const row = (name: string) => page.locator(`[data-migration="${name}"]`)
      await row(BACKFILL).waitFor()
      expect(await row(BACKFILL).getAttribute('data-state')).toBe('pending')
      expect(await row('0001_create_tables').getAttribute('data-state')).toBe('applied')
      expect(await row(FIRST_TWO).getAttribute('data-state')).toBe('applied')
      expect(await row('0001_create_tables').locator('.steps').textContent()).toContain(
        project.table('Candidates'),
      )
      expect(await row(BACKFILL).locator('.steps').textContent()).toContain(`${BACKFILL}.ts`)

      await migrateUp({ ...project.base })
      await page.getByRole('button', { name: 'Refresh' }).click()
      await page.waitForSelector(`[data-migration="${BACKFILL}"][data-state="applied"]`)
      const applied = await row(BACKFILL).locator('dl').textContent()
      expect(applied).toMatch(/by\S+@\S+/)
      expect(applied).toMatch(/took\d+(\.\d)? (ms|s)/)
      expect(await row(BACKFILL).getByTestId('checksum').textContent()).toBe(
        'matches the applied file',
      )
      await screenshot(page, engine.name, 'migrations', { docs: engine.name === 'moto' })
      expect(errors).toStrictEqual([])
    })

    test('drift made behind ddbm’s back shows as drift, with expected and actual', async () => {
      const physical = project.table('ProgramConfig')
      await client.send(
        new UpdateTableCommand({
          TableName: physical,
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      )
      await waitForTableActive(client, physical)
      await open('#/tables/ProgramConfig')
      const billing = page.locator('tr[data-check="billing"]')
      await billing.waitFor()
      expect(await billing.getAttribute('data-status')).toBe('drift')
      expect(await billing.locator('.expected').textContent()).toContain('PAY_PER_REQUEST')
      expect(await billing.locator('.actual').textContent()).toContain('PROVISIONED')
      expect(await page.locator('tr[data-check="keys"]').getAttribute('data-status')).toBe('ok')
      await screenshot(page, engine.name, 'drift', { docs: engine.name === 'moto' })

      // Back on the overview, the environment is read again: the table is drift at a glance.
      await open('#/')
      const verify = page.locator('tr[data-table="ProgramConfig"] [data-status]').nth(1)
      await verify
        .and(page.locator('[data-status="drift"]'))
        .waitFor({ timeout: 10_000 })
        .catch(() => {})
      expect(await verify.textContent()).toBe('drift')

      // The diagram of the example's main table; what the engine cannot report is `unsupported`.
      await open('#/tables/Candidates')
      await page.getByTestId('diagram').waitFor()
      const diagram = await page.getByTestId('diagram').textContent()
      for (const index of ['StatusIndex', 'ScoreIndex', 'ActiveCandidatesIndex'])
        expect(diagram).toContain(index)
      const pitr = page.locator('tr[data-check="pitr"]')
      expect(await pitr.getAttribute('data-status')).toBe(
        engine.supports.pitr ? 'ok' : 'unsupported',
      )
      if (!engine.supports.pitr) expect(await pitr.textContent()).toContain('not checked')
      await screenshot(page, engine.name, 'table', { docs: engine.name === 'moto' })
      expect(errors).toStrictEqual([])
    })

    test('a query on a GSI returns the right items, a page at a time; export as JSON', async () => {
      const physical = project.table('Candidates')
      await open('#/tables/Candidates/items')
      await page.getByTestId('query-form').waitFor()

      // A scan, 25 a page: the next page comes from the cursor and holds other items.
      await page.locator('select[name=limit]').selectOption('25')
      await runQuery(page)
      const first = await shownItems(page)
      expect(first).toHaveLength(25)
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/items')),
        page.getByRole('button', { name: 'Next →' }).click(),
      ])
      await page.waitForSelector('[data-testid=pager] >> text=page 2')
      const second = await shownItems(page)
      expect(second).toHaveLength(25)
      expect(keysOf(first).filter((k) => keysOf(second).includes(k))).toStrictEqual([])

      // A query on StatusIndex: every PENDING candidate, as a direct Query returns them.
      await page.locator('select[name=limit]').selectOption('500')
      await page.locator('select[name=index]').selectOption('StatusIndex')
      await page.getByLabel('query').check()
      await page.locator('input[name=pk]').fill('PENDING')
      await runQuery(page)
      const expected = await queryAll(
        client,
        physical,
        'StatusIndex',
        '#status = :status',
        { '#status': 'status' },
        { ':status': 'PENDING' },
      )
      expect(expected.length).toBeGreaterThan(0)
      const shown = await shownItems(page)
      expect(keysOf(shown)).toStrictEqual(keysOf(expected))
      expect(shown.every((i) => i.status === 'PENDING')).toBe(true)

      // The sort key with `between` on ScoreIndex (score is a number), and a filter.
      await page.locator('select[name=index]').selectOption('ScoreIndex')
      await page.locator('input[name=pk]').fill('PENDING')
      await page.locator('select[name=sortOp]').selectOption('between')
      await page.locator('input[name=sk]').fill('20')
      await page.locator('input[name=sk2]').fill('70')
      await page.getByRole('button', { name: '+ filter' }).click()
      await page.locator('input[name=attribute]').fill('activeFlag')
      await page.locator('select[name=op]').selectOption('attribute_exists')
      await runQuery(page)
      const between = (
        await queryAll(
          client,
          physical,
          'ScoreIndex',
          '#status = :status AND #score BETWEEN :score AND :score2',
          { '#status': 'status', '#score': 'score' },
          { ':status': 'PENDING', ':score': 20, ':score2': 70 },
        )
      ).filter((i) => i.activeFlag !== undefined)
      expect(between.length).toBeGreaterThan(0)
      expect(keysOf(await shownItems(page))).toStrictEqual(keysOf(between))
      await screenshot(page, engine.name, 'items-query')

      // Export of the same query: every matching item, as JSON.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-json').click(),
      ])
      const file = await download.path()
      const exported = JSON.parse(await readFile(file, 'utf8')) as Item[]
      expect(keysOf(exported)).toStrictEqual(keysOf(between))
      expect(download.suggestedFilename()).toMatch(/\.json$/)

      // The README's picture: the first page of StatusIndex.
      await open('#/')
      await open('#/tables/Candidates/items')
      await page.locator('select[name=limit]').selectOption('25')
      await page.locator('select[name=index]').selectOption('StatusIndex')
      await page.getByLabel('query').check()
      await page.locator('input[name=pk]').fill('PENDING')
      await runQuery(page)
      await page.locator('[data-testid=items] tbody details').first().locator('summary').click()
      await screenshot(page, engine.name, 'items', {
        docs: engine.name === 'moto',
        fullPage: false,
      })
      expect(errors).toStrictEqual([])
    })
  })
}
