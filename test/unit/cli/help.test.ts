import { describe, expect, test } from 'vitest'
import { run } from '../../../src/cli/cli.js'
import { tidyHelp } from '../../../src/cli/help.js'
import { Reporter } from '../../../src/cli/reporter.js'

/** Runs the CLI on `args` at help width `width`, into strings; only what needs no project. */
async function cli(args: string[], width = 200) {
  const out: string[] = []
  const err: string[] = []
  const reporter = new Reporter(
    undefined,
    { write: (t: string) => out.push(t) },
    { write: (t: string) => err.push(t) },
    {},
  )
  const code = await run(args, reporter, width)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

/** The lines of one section (`Commands:`, `Options:`, `Examples:`...) of a help text. */
function section(help: string, title: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf(title)
  if (start < 0) return []
  const end = lines.findIndex((l, i) => i > start && l.trim() === '')
  return lines.slice(start + 1, end < 0 ? undefined : end)
}

/** The command paths of the tree under `path` (`[['validate'], ['migrate', 'up'], ...]`), leaves only. */
async function leaves(path: string[] = []): Promise<string[][]> {
  const { stdout } = await cli([...path, '--help'])
  const subs = section(stdout, 'Commands:').map((l) => {
    const words = l.trim().split(/\s+/)
    return words[path.length + 1] ?? ''
  })
  if (subs.length === 0) return [path]
  const found: string[][] = []
  for (const sub of subs) found.push(...(await leaves([...path, sub])))
  return found
}

describe('--help of every command', async () => {
  const all = await leaves()

  test('the tree is the contract of the README', () => {
    expect(all.map((p) => p.join(' '))).toStrictEqual([
      'validate',
      'migrate up',
      'migrate down',
      'migrate status',
      'migrate create',
      'migrate generate',
      'migrate unlock',
      'migrate resolve',
      'migrate worker',
      'verify',
      'seed',
      'init',
      'db pull',
      'db reset',
      'studio',
      'local start',
      'local stop',
      'local status',
      'completion',
    ])
  })

  // `completion` is yargs' own command: its description carries its one example.
  test.each(all.filter((p) => p[0] !== 'completion').map((p) => [p.join(' '), p]))(
    '%s: one to three examples, and a description for every option and positional',
    async (_name, path) => {
      const { code, stdout } = await cli([...path, '--help'])
      expect(code).toBe(0)
      const examples = section(stdout, 'Examples:')
      expect(examples.length).toBeGreaterThanOrEqual(1)
      expect(examples.length).toBeLessThanOrEqual(3)
      for (const example of examples) expect(example).toMatch(/^ {2}ddbm \S.* {2,}\S/)
      const options = [
        ...section(stdout, 'Options:'),
        ...section(stdout, 'Global options:'),
        ...section(stdout, 'Positionals:'),
      ]
      expect(options.length).toBeGreaterThan(0)
      for (const line of options) {
        // `  --name  Description  [type]`: text other than the labels right after the switch.
        expect(line, `${path.join(' ')}: ${line}`).toMatch(/^\s+(-\w, )?(--)?[\w-]+ {2,}[^[\s]/)
      }
    },
  )
})

describe('help layout', () => {
  test('a description that runs into its labels is split from them, labels right-aligned', () => {
    const text = [
      'Options:',
      '      --dry-run  Print the operations; change nothing[boolean] [default: false]',
      '      --to       Up to this migration                                [string]',
    ].join('\n')
    expect(tidyHelp(text, 78).split('\n')).toStrictEqual([
      'Options:',
      '      --dry-run  Print the operations; change nothing',
      '                                                    [boolean] [default: false]',
      '      --to       Up to this migration                                [string]',
    ])
  })

  test(
    'at every width from 60 to 130 no description runs into its labels and no line is wider',
    {
      timeout: 60_000,
    },
    async () => {
      const collisions: string[] = []
      for (let width = 60; width <= 130; width++) {
        for (const args of [[], ['migrate', 'up'], ['seed'], ['db', 'reset']]) {
          const { stdout } = await cli([...args, '--help'], width)
          for (const line of stdout.split('\n')) {
            if (/[^\s[]\[(boolean|string|number|default|choices)/.test(line) || line.length > width)
              collisions.push(`${width} ${args.join(' ')}: ${line}`)
          }
        }
      }
      expect(collisions).toStrictEqual([])
    },
  )
})

describe('no command: the help of that level, exit 0', () => {
  test('bare ddbm prints the top-level help on stdout', async () => {
    const bare = await cli([])
    expect([bare.code, bare.stderr]).toStrictEqual([0, ''])
    expect(bare.stdout).toBe((await cli(['--help'])).stdout)
    expect(bare.stdout).toMatch(/^ddbm <command> \[options\]\n/)
  })

  test('a group without its subcommand prints the group help', async () => {
    const migrate = await cli(['migrate'])
    expect([migrate.code, migrate.stderr]).toStrictEqual([0, ''])
    expect(migrate.stdout).toBe((await cli(['migrate', '--help'])).stdout)
    expect(section(migrate.stdout, 'Commands:')).toHaveLength(8)
  })

  test('a leaf without its positional stays a usage error', async () => {
    const create = await cli(['migrate', 'create'])
    expect([create.code, create.stdout]).toStrictEqual([2, ''])
  })
})

describe('usage errors name what was typed', () => {
  test('an unknown option is named once, as typed, with the closest option', async () => {
    const run = await cli(['migrate', 'up', '--dry-runn'])
    expect([run.code, run.stdout, run.stderr]).toStrictEqual([
      2,
      '',
      'error: Unknown argument: --dry-runn\n' +
        'hint: Did you mean --dry-run? `ddbm migrate up --help` lists the options.\n',
    ])
  })

  test('several unknown arguments: flags with their dashes, words as they are', async () => {
    const run = await cli(['verify', 'extra', '--tabel', 'x', '--no-colour'])
    expect(run.stderr).toBe(
      'error: Unknown arguments: --tabel, --no-colour, extra\n' +
        'hint: --tabel: did you mean --table? `ddbm verify --help` lists the options.\n',
    )
  })

  test('an unknown command close to a known one says which word is unknown', async () => {
    const run = await cli(['migrate', 'upp'])
    expect([run.code, run.stderr.split('\n')[0]]).toStrictEqual([
      2,
      'error: Unknown command "upp"; did you mean "up"?',
    ])
  })
})
