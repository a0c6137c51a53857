import { describe, expect, inject, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { dropTables } from '../helpers/engines.js'
import { APPLIED_BY } from '../helpers/migration-documents.js'
import { migrationProject, tmpProject } from '../helpers/temp-tree.js'

const DONE = /^done in \d+\.\d s$/

describe('help: bare ddbm, groups, unknown flags', () => {
  test('bare `ddbm` prints the help on stdout and exits 0, as `ddbm --help`; so does a bare group', async () => {
    const cwd = await tmpProject()
    const help = await ddbm(['--help'], { cwd })
    const bare = await ddbm([], { cwd })
    expect([bare.code, bare.stdout, bare.stderr]).toStrictEqual([0, help.stdout, ''])
    expect(bare.stdout).toMatch(/^ddbm <command> \[options\]\n/)
    const group = await ddbm(['migrate'], { cwd })
    const groupHelp = await ddbm(['migrate', '--help'], { cwd })
    expect([group.code, group.stdout, group.stderr]).toStrictEqual([0, groupHelp.stdout, ''])
    // With --json, stdout holds one JSON document: naming no command stays a usage error.
    const json = await ddbm(['--json'], { cwd })
    expect([json.code, JSON.parse(json.stdout).error.code]).toStrictEqual([2, 'USAGE'])
  })

  test('every command’s --help has examples', async () => {
    const cwd = await tmpProject()
    const seed = await ddbm(['seed', '--help'], { cwd })
    expect(seed.stdout).toContain('\nExamples:\n  ddbm seed ')
    const up = await ddbm(['migrate', 'up', '--help'], { cwd })
    expect(up.stdout).toContain('\nExamples:\n  ddbm migrate up ')
  })

  test('an unknown flag is named once, as typed, with the option meant', async () => {
    const cwd = await tmpProject()
    const run = await ddbm(['migrate', 'up', '--dry-runn'], { cwd })
    expect([run.code, run.stdout, run.stderr]).toStrictEqual([
      2,
      '',
      'error: Unknown argument: --dry-runn\n' +
        'hint: Did you mean --dry-run? `ddbm migrate up --help` lists the options.\n',
    ])
  })
})

describe('exit codes as the contract says', () => {
  test('validate --endpoint foo: ENDPOINT_INVALID, exit 2, as every other command', async () => {
    const cwd = await tmpProject({ 'schemas/.keep': '' })
    const expected = {
      ok: false,
      command: 'validate',
      error: {
        code: 'ENDPOINT_INVALID',
        exitCode: 2,
        message: 'Endpoint "foo" is not an http(s) URL',
        hint: 'An endpoint is an http(s) URL such as http://127.0.0.1:8000, or "embedded".',
      },
    }
    const run = await ddbm(['validate', '--endpoint', 'foo', '--json'], { cwd })
    expect([run.code, JSON.parse(run.stdout)]).toStrictEqual([2, expected])
    const status = await ddbm(['migrate', 'status', '--endpoint', 'foo', '--json'], { cwd })
    expect([status.code, JSON.parse(status.stdout).error]).toStrictEqual([2, expected.error])
  })

  test('resolve --applied of a migration that never ran warns, and needs --yes without a terminal', async () => {
    const endpoint = inject('dynamodbLocalEndpoint')
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(endpoint, suffix))
    const env = { DDBM_APPLIED_BY: APPLIED_BY }
    const at = ['migrate', 'resolve', '0001_tables', '--applied', '--endpoint', endpoint]
    const warning =
      'warning: 0001_tables never ran in "t": marking it applied records it without running its steps, and `migrate up` will skip it'
    const refused = await ddbm(at, { cwd, env })
    expect([refused.code, refused.stdout, refused.stderr]).toStrictEqual([
      2,
      '',
      `${warning}\n` +
        'error: Not marking 0001_tables applied: it never ran in "t"\n' +
        'hint: Run `ddbm migrate up` to apply it; if its changes are already in place (tables made by hand or by another tool), confirm with --yes.\n',
    ])
    const status = await ddbm(['migrate', 'status', '--endpoint', endpoint], { cwd, env })
    expect(status.stdout.split('\n')[2]).toMatch(/^0001_tables +pending/)

    const confirmed = await ddbm([...at, '--yes'], { cwd, env })
    expect([confirmed.code, confirmed.stdout]).toStrictEqual([0, '0001_tables marked applied\n'])
    const lines = confirmed.stderr.split('\n')
    expect([lines[0], lines.at(-2), lines.at(-1)]).toStrictEqual([
      warning,
      expect.stringMatching(DONE),
      '',
    ])
    // Applied (by resolve) now: marking it again is a no-op without a warning.
    const again = await ddbm(at, { cwd, env })
    expect([again.code, again.stderr.includes('warning')]).toStrictEqual([0, false])
  })
})

describe('config problems: all at once, with line and column', () => {
  test('format problems and a defaultEnv naming no environment, in one CONFIG_INVALID', async () => {
    const cwd = await tmpProject({
      'ddbm.config.json': `{
  "version": 2,
  "defaultEnv": "nope",
  "environments": { "local": { "endpoint": "foo", "regin": "eu-west-1" } }
}
`,
    })
    const run = await ddbm(['verify'], { cwd })
    expect([run.code, run.stdout]).toStrictEqual([2, ''])
    expect(run.stderr).toBe(
      'ddbm.config.json: environments.local.regin: unknown property "regin" (line 4, column 51)\n' +
        '  hint: did you mean "region"? allowed properties: "region", "profile", "endpoint", "protected", "backups", "description", "tableNameTemplate"\n' +
        'ddbm.config.json: version: 2 is not a valid version (line 2, column 3)\n' +
        '  hint: write 1, the only allowed value\n' +
        'ddbm.config.json: environments.local.endpoint: "foo" is not a valid URL (line 4, column 32)\n' +
        "  hint: See ddbm's docs/config.md for every field.\n" +
        'ddbm.config.json: defaultEnv: "nope" is not one of the environments (line 3, column 3)\n' +
        '  hint: Use one of "local", or add it under "environments".\n' +
        'error: 4 problems in ddbm.config.json\n' +
        'hint: Fix the fields listed above, or run `ddbm init` to scaffold a fresh config.\n',
    )
  })

  test('a JSON syntax error gives line and column, not a character position', async () => {
    const cwd = await tmpProject({
      'ddbm.config.json': '{\n  "version": 1,\n  "environments": { "local": {}, }\n}\n',
    })
    const run = await ddbm(['migrate', 'status', '--json'], { cwd })
    expect([run.code, JSON.parse(run.stdout).error.details.issues]).toStrictEqual([
      2,
      [
        {
          file: 'ddbm.config.json',
          path: '',
          message: 'is not valid JSON: Expected double-quoted property name (line 3, column 34)',
          hint: 'fix the JSON syntax at line 3, column 34; JSON allows no comments, no trailing commas and only double-quoted strings',
        },
      ],
    ])
  })
})

describe('elapsed time', () => {
  test('the last line of a command says how long it took; --json and --quiet leave it out', async () => {
    const cwd = await tmpProject()
    const run = await ddbm(['migrate', 'create', 'first'], { cwd })
    expect([run.code, run.stdout]).toStrictEqual([0, 'created migrations/0001_first.json\n'])
    expect(run.stderr).toMatch(/^done in \d+\.\d s\n$/)
    const json = await ddbm(['migrate', 'create', 'second', '--json'], { cwd })
    expect([json.code, json.stderr, JSON.parse(json.stdout).ok]).toStrictEqual([0, '', true])
    const quiet = await ddbm(['migrate', 'create', 'third', '--quiet'], { cwd })
    expect([quiet.code, quiet.stdout, quiet.stderr]).toStrictEqual([0, '', ''])
  })
})
