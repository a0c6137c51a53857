import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Issue } from './issues.js'
import { sortIssues } from './issues.js'
import { parseJson } from './json-file.js'
import type { MigrationFile } from './operation.js'
import { parseMigration } from './parse-migration.js'

/** `NNNN_name.json` or `NNNN_name.ts`: four digits, then lower-case words joined by `_` or `-`. */
export const MIGRATION_FILE = /^(\d{4})_([a-z0-9][a-z0-9_-]*)\.(json|ts)$/

/** One migration on disk. `name` (file name without extension) is its identity in the meta table. */
export type LoadedMigration = {
  name: string
  number: number
  kind: 'json' | 'ts'
  /** Relative to the project root, forward slashes (`migrations/0001_create_tables.json`). */
  file: string
  absolutePath: string
  /** sha256 of the file's bytes; for `.ts`, of the source file only (not of what it imports). */
  checksum: string
  /** The parsed file, for `.json` migrations that are valid. */
  content?: MigrationFile
}

/**
 * Lists and parses `dir`: every file named like MIGRATION_FILE, sorted by name. Reports (never throws for
 * a user's mistake) files with other names, two files with the same number, a gap in the numbering, JSON
 * syntax and shape errors, and a `down` missing for an `up` (parseMigration). The rules of each operation
 * need the tables of the migrations before it: the replay checks those (src/plan/replay.ts). A missing
 * directory is no migrations at all.
 */
export async function loadMigrations(
  dir: string,
  opts: { root?: string } = {},
): Promise<{ migrations: LoadedMigration[]; issues: Issue[] }> {
  const root = opts.root ?? process.cwd()
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/')
  let entries: string[]
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { migrations: [], issues: [] }
    throw err
  }
  const migrations: LoadedMigration[] = []
  const issues: Issue[] = []
  for (const entry of entries) {
    const file = rel(path.join(dir, entry))
    const match = MIGRATION_FILE.exec(entry)
    if (match === null) {
      if (entry.endsWith('.md')) continue
      issues.push({
        file,
        path: '',
        message: 'is not named like a migration (NNNN_name.json or NNNN_name.ts)',
        hint: 'rename it, e.g. 0007_add_status_index.json, or move it out of migrations/',
      })
      continue
    }
    const absolutePath = path.join(dir, entry)
    const bytes = await readFile(absolutePath)
    const migration: LoadedMigration = {
      name: entry.replace(/\.(json|ts)$/, ''),
      number: Number(match[1]),
      kind: match[3] as 'json' | 'ts',
      file,
      absolutePath,
      checksum: createHash('sha256').update(bytes).digest('hex'),
    }
    if (migration.kind === 'json') {
      const parsed = parseJson(
        bytes.toString('utf8'),
        file,
        'write { "version": 1, "up": [], "down": [] }',
      )
      if ('issue' in parsed) issues.push(parsed.issue)
      else {
        const result = parseMigration(parsed.data, file)
        if (result.content !== undefined) migration.content = result.content
        issues.push(...result.issues)
      }
    }
    migrations.push(migration)
  }
  issues.push(...numberingIssues(migrations))
  return { migrations, issues: sortIssues(issues) }
}

/** Two files with one number, and gaps: 0001, 0002, 0004 is missing 0003. */
export function numberingIssues(migrations: readonly LoadedMigration[]): Issue[] {
  const issues: Issue[] = []
  let previous: LoadedMigration | undefined
  for (const m of migrations) {
    if (previous !== undefined && previous.number === m.number) {
      issues.push({
        file: m.file,
        path: '',
        message: `has the same number as ${previous.file}`,
        hint: `renumber one of them; the next free number is ${pad(last(migrations) + 1)}`,
      })
    } else if (previous !== undefined && m.number !== previous.number + 1) {
      issues.push({
        file: m.file,
        path: '',
        message: `follows ${previous.file}: number ${pad(previous.number + 1)} is missing`,
        hint: `renumber it to ${pad(previous.number + 1)}, or restore the missing migration`,
      })
    } else if (previous === undefined && m.number !== 1) {
      issues.push({
        file: m.file,
        path: '',
        message: `is the first migration but is numbered ${pad(m.number)}`,
        hint: 'number the first migration 0001',
      })
    }
    previous = m
  }
  return issues
}

/** `7` → `0007`. */
export function pad(n: number): string {
  return String(n).padStart(4, '0')
}

function last(migrations: readonly LoadedMigration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.number), 0)
}
