import type { Page } from 'playwright-core'
import { expect, onTestFinished, test } from 'vitest'
import { startStudio } from '../../src/api/index.js'
import { preparedBackfill, scanItems, segmentItems } from '../helpers/backfill-project.js'
import { describeInBrowser, launchBrowser, newPage, screenshot } from '../helpers/browser.js'
import { startDdbm } from '../helpers/cli.js'
import { engines, type Engine } from '../helpers/engines.js'

const engine = engines()[0] as Engine
const ITEMS = 2_000
const SEGMENTS = 4

/** The number in the `<dd>` after the `<dt>` `label` of the backfill's panel (NaN for "—"; the first of "1,234 of ~2,000"). */
async function figure(page: Page, label: string): Promise<number> {
  const dd = page.locator(`[data-testid="backfill"] dt:text-is("${label}") + dd`)
  // "1,234 of ~2,000": the first number.
  const text = /[\d,.]+/.exec((await dd.textContent()) ?? '')?.[0]
  return text === undefined ? NaN : Number(text.replace(/,/g, ''))
}

describeInBrowser(
  engine,
  `${engine.name}: a backfill running in another process, in the studio`,
  () => {
    test('the timeline shows its segments, counts, items/s and ETA while it runs, then the migration applied', async () => {
      // 100 writes a second over 2,000 items: about 20 s, long enough to be seen a few times.
      const shape = {
        segments: SEGMENTS,
        concurrency: SEGMENTS,
        pageSize: 50,
        rate: '{ writePerSec: 100 }',
      }
      const { cwd, at, table, meta, client } = await preparedBackfill(engine, shape, ITEMS)
      const studio = await startStudio({ cwd, endpoint: engine.endpoint, processEnv: {} })
      onTestFinished(() => studio.close())
      const browser = await launchBrowser()
      onTestFinished(() => browser.close())

      const run = startDdbm(['migrate', 'up', '--no-verify', ...at], { cwd })
      onTestFinished(() => void run.child.kill('SIGKILL'))
      // The page is opened once the backfill checkpointed, so that its first reading finds it running.
      for (let i = 0; i < 600; i++) {
        if ((await segmentItems(client, meta)).some((s) => s.lastKey !== undefined)) break
        await new Promise((r) => setTimeout(r, 50))
      }
      const { page, errors } = await newPage(browser)
      await page.goto(`${studio.url}#/migrations`)
      const panel = page.locator('[data-testid="backfill"][data-backfill="backfill"]')
      await panel.waitFor({ timeout: 20_000 })
      expect(await panel.locator('.row-head').textContent()).toContain('0002_backfill')
      expect(await panel.textContent()).toMatch(new RegExp(`\\d / ${SEGMENTS} segments done`))
      // This run holds every segment: one line naming them.
      expect(await panel.locator('.holders li').allTextContents()).toStrictEqual([
        expect.stringMatching(/: segments 0, 1, 2, 3$/),
      ])
      const first = await figure(page, 'scanned')
      // Two readings two seconds apart give a speed and an ETA; the counts grow between them.
      await expect.poll(() => figure(page, 'items/s'), { timeout: 20_000 }).toBeGreaterThan(0)
      const second = await figure(page, 'scanned')
      expect(second).toBeGreaterThan(first)
      expect(second).toBeLessThan(ITEMS)
      expect(await panel.locator('dt:text-is("ETA") + dd').textContent()).not.toBe('—')
      await screenshot(page, engine.name, 'backfill-live', { docs: true })

      const done = await run.done
      expect(done.code, done.stderr).toBe(0)
      // Finished: the panel goes, and the migration shows applied.
      await page.waitForSelector('[data-migration="0002_backfill"][data-state="applied"]', {
        timeout: 20_000,
      })
      await panel.waitFor({ state: 'detached', timeout: 20_000 })
      expect((await scanItems(client, table)).length).toBe(ITEMS)
      expect(errors).toStrictEqual([])
    }, 120_000)
  },
)
