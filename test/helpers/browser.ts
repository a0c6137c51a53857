import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { describe } from 'vitest'
import type { Engine } from './engines.js'

/** Debian's Chromium (`apt-get install chromium`), the browser of the studio tests. */
export const CHROMIUM = '/usr/bin/chromium'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Where the tests save their screenshots (ignored by git): `test-results/studio/`. */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'studio')

/** Where `npm run screenshots` also copies them, for the README: `docs/images/studio-<name>.png`. */
export const DOCS_IMAGES = path.join(ROOT, 'docs', 'images')

/** Why the browser tests cannot run here, or undefined when Chromium is installed. */
export function browserMissing(bin = CHROMIUM): string | undefined {
  return existsSync(bin)
    ? undefined
    : `${bin} not installed: apt-get install chromium (.ci/run installs it)`
}

/**
 * `describe` on one engine with a browser; skipped, with the reason in its title, when the engine or
 * Chromium is missing (so the tests are counted as skipped instead of disappearing).
 */
export function describeInBrowser(engine: Engine, title: string, body: () => void): void {
  const missing = engine.missing ?? browserMissing()
  if (missing === undefined) describe(title, body)
  else describe.skip(`${title} (skipped: ${missing})`, body)
}

/** A headless Chromium with a profile of its own; `close()` ends it and removes the profile. */
export type Browser = { context: BrowserContext; close(): Promise<void> }

/**
 * Starts headless Chromium on a fresh temporary profile, with everything that would reach the network
 * on its own (component updates, sync, background requests) off: the tests talk to loopback only.
 */
export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'ddbm-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  } catch (err) {
    await rm(profile, { recursive: true, force: true })
    throw err
  }
  // Every wait of a page well under the test's timeout, so that a failing step says which one.
  context.setDefaultTimeout(15_000)
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined)
      await rm(profile, { recursive: true, force: true })
    },
  }
}

/**
 * A new page of `browser` that fails the test on any uncaught page error or console error: the
 * page must run clean. Errors are collected in `errors` (checked by the caller at the end).
 */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`)
  })
  return { page, errors }
}

/**
 * Saves a screenshot of `page` as `test-results/studio/<engine>-<name>.png` (a test artifact); with
 * `DDBM_STUDIO_SCREENSHOTS=docs` (`npm run screenshots`) and `docs: true`, also as
 * `docs/images/studio-<name>.png` for the README.
 */
export async function screenshot(
  page: Page,
  engine: string,
  name: string,
  opts: { docs?: boolean; fullPage?: boolean } = {},
): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${engine}-${name}.png`)
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true })
  if (opts.docs === true && process.env.DDBM_STUDIO_SCREENSHOTS === 'docs') {
    await mkdir(DOCS_IMAGES, { recursive: true })
    await copyFile(file, path.join(DOCS_IMAGES, `studio-${name}.png`))
  }
  return file
}
