import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CONFIG_FILE_NAME } from '../config/load-config.js'
import { DdbmError } from '../errors.js'
import {
  GITIGNORE_COMMENT,
  GITIGNORE_ENTRIES,
  INSTALL_COMMAND,
  NEXT_COMMANDS,
  PACKAGE_SCRIPTS,
  SCAFFOLD,
} from './init-templates.js'
import type { ProjectOptions } from './session.js'

/**
 * Options of init(): the folder (`cwd`, default the process's), or the config file to create (`config`,
 * relative to `cwd`; a folder means `ddbm.config.json` in it). The project root is the config's folder.
 */
export type InitOptions = ProjectOptions

/** What init did to `.gitignore`: created it, appended the missing entries, or found them all. */
export type GitignoreResult = {
  file: '.gitignore'
  status: 'created' | 'updated' | 'unchanged'
  /** The lines added (empty when unchanged). */
  added: string[]
}

/** What init found in package.json and suggests adding to it (it never edits package.json). */
export type PackageJsonResult = {
  found: boolean
  /** Null without a package.json (run ddbm with npx). */
  suggestions: {
    /** The install command, or null when ddbm is already a (dev) dependency. */
    install: string | null
    /** Scripts whose names package.json does not use yet. */
    scripts: Record<string, string>
  } | null
}

/** The result of init(), as `ddbm init --json` prints it. Paths are relative to the project root. */
export type InitResult = {
  /** Absolute path of the project root (the folder of the config file). */
  root: string
  created: string[]
  gitignore: GitignoreResult
  packageJson: PackageJsonResult
  /** The commands to run next. */
  next: string[]
}

/**
 * `ddbm init`: scaffolds a project in `cwd` (or in the folder of `config`): the config file (three
 * environments: `local` on the embedded engine, `dev`, protected `prod`), `schemas/` with one example table
 * (a GSI and TTL), an empty `migrations/` (`.gitkeep`), `seeds/` with an example seed, and `.ddbm/` in
 * `.gitignore` (created, or the missing lines appended; never duplicated). It never overwrites: when any
 * file it would create exists (or a folder it needs is a file), it writes nothing and throws INIT_EXISTS
 * (exit 2) listing them. A package.json is read, never written: the result suggests the install command
 * and scripts it lacks.
 */
export async function init(opts: InitOptions = {}): Promise<InitResult> {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const configFile = await configPath(cwd, opts.config)
  const root = path.dirname(configFile)
  const files = new Map<string, string>()
  for (const [name, content] of Object.entries(SCAFFOLD)) {
    const target = name === CONFIG_FILE_NAME ? configFile : path.join(root, name)
    files.set(target, content)
  }
  const keep = path.join(root, 'migrations', '.gitkeep')
  if ((await entries(path.dirname(keep))).some((name) => name !== '.gitkeep')) files.delete(keep)

  const existing: string[] = []
  for (const target of files.keys()) {
    if ((await kind(target)) !== undefined) existing.push(target)
    else {
      const dir = path.dirname(target)
      const dirKind = await kind(dir)
      if (dirKind !== undefined && dirKind !== 'directory') existing.push(dir)
    }
  }
  if (existing.length > 0) {
    const names = [...new Set(existing.map((f) => relative(root, f)))]
    throw new DdbmError(
      'INIT_EXISTS',
      `ddbm init writes nothing: ${names.length === 1 ? 'this file exists' : 'these files exist'} already: ${names.join(', ')}`,
      { existing: names },
    )
  }

  const gitignore = await planGitignore(root)
  for (const [target, content] of files) {
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, content, { flag: 'wx' })
  }
  if (gitignore.status !== 'unchanged') {
    await writeFile(path.join(root, '.gitignore'), gitignore.text)
  }
  return {
    root,
    created: [...files.keys()].map((f) => relative(root, f)),
    gitignore: { file: '.gitignore', status: gitignore.status, added: gitignore.added },
    packageJson: await packageJsonSuggestions(root),
    next: [...NEXT_COMMANDS],
  }
}

/** The config file to create: `config` (relative to `cwd`), inside it when it names a folder. */
async function configPath(cwd: string, config: string | undefined): Promise<string> {
  if (config === undefined) return path.join(cwd, CONFIG_FILE_NAME)
  const file = path.resolve(cwd, config)
  const folder = /[\\/]$/.test(config) || (await kind(file)) === 'directory'
  return folder ? path.join(file, CONFIG_FILE_NAME) : file
}

/** The new `.gitignore` text: the entries it lacks appended under a comment, after a blank line. */
async function planGitignore(
  root: string,
): Promise<{ status: GitignoreResult['status']; added: string[]; text: string }> {
  const current = await readText(path.join(root, '.gitignore'))
  const lines = new Set((current ?? '').split(/\r?\n/).map(normalizeIgnore))
  const added = GITIGNORE_ENTRIES.filter((e) => !lines.has(normalizeIgnore(e)))
  if (added.length === 0) return { status: 'unchanged', added: [], text: current ?? '' }
  const block = `${GITIGNORE_COMMENT}\n${added.join('\n')}\n`
  if (current === undefined || current.trim() === '') {
    return { status: current === undefined ? 'created' : 'updated', added, text: block }
  }
  const separator = current.endsWith('\n') ? '\n' : '\n\n'
  return { status: 'updated', added, text: `${current}${separator}${block}` }
}

/** A `.gitignore` line as a comparable entry: `/.ddbm`, `.ddbm` and `.ddbm/` name the same folder here. */
function normalizeIgnore(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '')
}

/** Reads package.json in `root` (not its parents: that is another project) and what to add to it. */
async function packageJsonSuggestions(root: string): Promise<PackageJsonResult> {
  const text = await readText(path.join(root, 'package.json'))
  if (text === undefined) return { found: false, suggestions: null }
  let pkg: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null) pkg = parsed as Record<string, unknown>
  } catch {
    // An unreadable package.json still gets every suggestion: npm will say what is wrong with it.
  }
  const listed = ['dependencies', 'devDependencies'].some((field) => has(pkg[field], 'ddbm'))
  const scripts = Object.fromEntries(
    Object.entries(PACKAGE_SCRIPTS).filter(([name]) => !has(pkg.scripts, name)),
  )
  return { found: true, suggestions: { install: listed ? null : INSTALL_COMMAND, scripts } }
}

function has(record: unknown, key: string): boolean {
  return typeof record === 'object' && record !== null && Object.hasOwn(record, key)
}

async function kind(file: string): Promise<'directory' | 'file' | undefined> {
  try {
    return (await lstat(file)).isDirectory() ? 'directory' : 'file'
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // ENOTDIR: a parent is a file, which the check of the parent itself reports.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw err
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/')
}
