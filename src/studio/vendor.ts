import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/**
 * The ES module files the page imports, served from `/vendor/<name>`, by the package file they are: the
 * npm packages ddbm depends on, so the page works offline and never asks a CDN. `preact-hooks.js`
 * imports the bare `preact`, which the page's import map points at `/vendor/preact.js`.
 */
export const VENDOR_FILES = {
  'preact.js': () => require.resolve('preact'),
  'preact-hooks.js': () => require.resolve('preact/hooks'),
  // htm's `require` condition is CommonJS; its ES module sits beside it.
  'htm.js': () => path.join(path.dirname(require.resolve('htm')), 'htm.module.js'),
} as const

const cache = new Map<string, Promise<string>>()

/** The text of a vendored file, read once per process. */
export function vendorFile(name: keyof typeof VENDOR_FILES): Promise<string> {
  let text = cache.get(name)
  if (text === undefined) {
    text = readFile(VENDOR_FILES[name](), 'utf8')
    cache.set(name, text)
  }
  return text
}
