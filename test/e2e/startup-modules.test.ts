import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { CLI, node } from '../helpers/cli.js'
import { tempTree, tmpProject } from '../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The packages a command must not load unless it needs them (only the names matter). */
const HEAVY = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/util-dynamodb',
  '@faker-js/faker',
  '@hono/node-server',
  'esbuild',
  'hono',
  'tsx',
  'umzug',
  'zod',
]

/**
 * An `--import` module that records every module the process loads into `loaded.txt` beside itself: each
 * ES module URL as resolved (a resolve hook on Node's loader thread), and at exit every CommonJS file in
 * the require cache (the AWS SDK and umzug are CommonJS, and load their own files by require()).
 */
const LOGGER = `import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'
import { fileURLToPath } from 'node:url'
const log = fileURLToPath(new URL('./loaded.txt', import.meta.url))
const hook = \`import { appendFileSync } from 'node:fs'
let log
export function initialize(data) { log = data.log }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(log, resolved.url + '\\\\n')
  return resolved
}
\`
register('data:text/javascript,' + encodeURIComponent(hook), import.meta.url, { data: { log } })
const require = createRequire(import.meta.url)
process.on('exit', () => appendFileSync(log, Object.keys(require.cache).join('\\n') + '\\n'))
`

/**
 * Runs `node --import <LOGGER> ...args` in `cwd` and returns its exit code and the packages it loaded
 * (`node_modules/<name>` or `node_modules/@scope/<name>` in a loaded module's URL or path), sorted.
 */
async function loadedPackages(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; packages: string[] }> {
  const dir = await tempTree('ddbm-modules-', { 'log-modules.mjs': LOGGER })
  const hook = pathToFileURL(join(dir, 'log-modules.mjs')).href
  const run = await node(['--import', hook, ...args], { cwd })
  const lines = (await readFile(join(dir, 'loaded.txt'), 'utf8')).split('\n')
  const packages = new Set<string>()
  for (const line of lines) {
    const match = /node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(decodeURIComponent(line))
    if (match?.[1] !== undefined) packages.add(match[1].replace('\\', '/'))
  }
  return { code: run.code, packages: [...packages].sort() }
}

/** Those of HEAVY that `packages` holds. */
function heavy(packages: readonly string[], allowed: readonly string[] = []): string[] {
  return HEAVY.filter((p) => packages.includes(p) && !allowed.includes(p))
}

describe('a command loads only what it uses', () => {
  test('ddbm --help loads yargs, and neither the AWS SDK, umzug, faker, tsx nor zod', async () => {
    const { code, packages } = await loadedPackages([CLI, '--help'], ROOT)
    expect([code, packages.includes('yargs'), heavy(packages)]).toStrictEqual([0, true, []])
  })

  test('ddbm --version loads none of them either', async () => {
    const { code, packages } = await loadedPackages([CLI, '--version'], ROOT)
    expect([code, packages.includes('yargs'), heavy(packages)]).toStrictEqual([0, true, []])
  })

  test('ddbm validate without seeds loads zod, and neither the AWS SDK, umzug, faker nor tsx', async () => {
    const cwd = await tmpProject({
      'schemas/items.json': {
        TableName: 'items',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    })
    const { code, packages } = await loadedPackages([CLI, 'validate'], cwd)
    expect([code, heavy(packages, ['zod'])]).toStrictEqual([0, []])
  })

  test("ddbm validate on the example project: its seeds' `import 'ddbm'` loads neither the AWS SDK client nor umzug", async () => {
    const { code, packages } = await loadedPackages([CLI, 'validate'], ROOT)
    // tsx (and its esbuild) runs the .seed.ts files, faker draws their sample, util-dynamodb reads items.json.
    const used = ['zod', 'tsx', 'esbuild', '@faker-js/faker', '@aws-sdk/util-dynamodb']
    expect([code, heavy(packages, used)]).toStrictEqual([0, []])
  })

  test("import 'ddbm' (the library a test suite or a seed imports) loads none of them but zod", async () => {
    const { code, packages } = await loadedPackages(
      ['--input-type=module', '-e', "await import('ddbm')"],
      ROOT,
    )
    expect([code, heavy(packages, ['zod'])]).toStrictEqual([0, []])
  })
})
