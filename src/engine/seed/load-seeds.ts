import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Issue } from '../../issues.js'
import { sortIssues } from '../../schema/issues.js'
import type { LoadedSeed, SeedDefinition } from '../../seed/define-seed.js'
import { definitionIssues } from '../../seed/definition-shape.js'
import { tsScope, type TsImport } from '../runner/import-ts.js'
import { missingModule } from '../runner/load-migration.js'

/** A generator file: `seeds/<Name>.seed.ts`. */
const GENERATOR = /\.seed\.ts$/
/** A static fixture: any other `seeds/*.json`. */
const FIXTURE = /\.json$/

/** What loadSeeds found: the seeds that loaded (generators and fixtures, by file name), and every Issue. */
export type LoadSeedsResult = { seeds: LoadedSeed[]; issues: Issue[] }

/**
 * Reads `seedsDir` (not its subfolders; a missing folder means no seeds): every `*.seed.ts` is imported
 * with tsx, all in one scope (tsScope: they share the modules they import; tsx is loaded only if there is
 * one), and its default export checked as a SeedDefinition (definitionIssues); every `*.json` is a
 * static fixture (parseFixture). Other files (README.md, helper modules) are ignored. Never throws for a
 * user's mistake: a file that does not load is an Issue with a hint (a missing package: install it in the
 * project; any other error: fix the TypeScript). Files are named relative to `opts.root`.
 */
export async function loadSeeds(
  seedsDir: string,
  opts: { root: string },
): Promise<LoadSeedsResult> {
  const rel = (p: string): string => path.relative(opts.root, p).split(path.sep).join('/')
  let names: string[]
  try {
    const entries = await readdir(seedsDir, { withFileTypes: true })
    names = entries.filter((e) => e.isFile()).map((e) => e.name)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { seeds: [], issues: [] }
    if (code !== 'ENOTDIR') throw err
    const hint = 'seedsDir in ddbm.config.json names the folder of the seeds'
    return {
      seeds: [],
      issues: [{ file: rel(seedsDir), path: '', message: 'is not a directory', hint }],
    }
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const seeds: LoadedSeed[] = []
  const issues: Issue[] = []
  const importTs = tsScope()
  for (const name of names) {
    const absolute = path.join(seedsDir, name)
    const file = rel(absolute)
    const loaded = GENERATOR.test(name)
      ? await loadGenerator(absolute, file, importTs)
      : FIXTURE.test(name)
        ? await loadFixture(absolute, file)
        : undefined
    if (loaded === undefined) continue
    if (loaded.seed !== undefined) seeds.push(loaded.seed)
    issues.push(...loaded.issues)
  }
  return { seeds, issues: sortIssues(issues) }
}

/**
 * Imports one `.seed.ts` file with tsx in the scope of the seeds/ being loaded (a bare `ddbm` always
 * resolves: tsScope) and checks its default export.
 */
async function loadGenerator(
  absolute: string,
  file: string,
  importTs: TsImport,
): Promise<{ seed?: LoadedSeed; issues: Issue[] }> {
  let mod: { default?: unknown }
  try {
    mod = (await importTs(absolute)) as typeof mod
  } catch (err) {
    return { issues: [loadIssue(file, err, absolute)] }
  }
  const value = defaultExport(mod)
  const issues = definitionIssues(value, file)
  if (issues.length > 0) return { issues }
  return { seed: { file, kind: 'generator', definition: value as SeedDefinition }, issues: [] }
}

/** Reads and parses one fixture (its module loads the SDK's unmarshall: only when seeds/ has a fixture). */
async function loadFixture(
  absolute: string,
  file: string,
): Promise<{ seed?: LoadedSeed; issues: Issue[] }> {
  const { parseFixture } = await import('./load-fixture.js')
  return parseFixture(await readFile(absolute, 'utf8'), file)
}

/**
 * The default export of an imported module. A `.seed.ts` outside a `"type": "module"` package is
 * compiled to CommonJS, and Node's import then gives `module.exports` as `default`: esbuild marks it
 * `__esModule`, and the real default export is one level down.
 */
function defaultExport(mod: { default?: unknown }): unknown {
  const value = mod.default
  if (typeof value !== 'object' || value === null) return value
  const cjs = value as { __esModule?: unknown; default?: unknown }
  return cjs.__esModule === true ? cjs.default : value
}

/**
 * The Issue of a `.seed.ts` file that did not load. A seed is imported from its own folder, so a package
 * it imports must be installed in the user's project (ddbm's own dependencies are not visible there).
 */
export function loadIssue(file: string, err: unknown, absolute?: string): Issue {
  const raw = err instanceof Error ? err.message : String(err)
  // esbuild: "Transform failed with 1 error:\n/abs/path/A.seed.ts:1:56: ERROR: ..."
  const stripped = raw.replace(/^Transform failed with \d+ errors?:\n/, '')
  const text = absolute === undefined ? stripped : stripped.split(absolute).join(file)
  const missing = missingModule(err)
  if (missing === undefined) {
    return {
      file,
      path: '',
      message: `could not be loaded: ${firstLines(text)}`,
      hint: 'fix the TypeScript error above; the file is run with tsx (no build step)',
    }
  }
  const importer = missing.importer === absolute ? file : missing.importer
  const from = importer === undefined ? '' : ` imported from ${importer}`
  if (missing.pkg === undefined) {
    return {
      file,
      path: '',
      message: `could not be loaded: cannot find module '${missing.specifier}'${from}`,
      hint: `${missing.specifier} does not exist: fix the import path or add the file`,
    }
  }
  const { pkg } = missing
  return {
    file,
    path: '',
    message: `could not be loaded: cannot find package '${pkg}'${from}`,
    hint: `the package ${pkg} is not installed in this project: add it to the dependencies of your project's package.json (\`npm install ${pkg}\`)`,
  }
}

/** An error message without esbuild's code frame beyond a few lines. */
function firstLines(text: string): string {
  return text.split('\n').slice(0, 4).join('\n').trim()
}
