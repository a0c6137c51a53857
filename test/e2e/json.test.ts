import { describe, expect, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engines } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const engine = engines()[0]!

describe('--json: exactly one JSON document on stdout for every implemented command', () => {
  test('each command, in success and in failure, prints one parseable document', async () => {
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const at = ['--endpoint', engine.endpoint]
    const runs: [string[], number, string][] = [
      [['validate'], 0, 'validate'],
      [['migrate', 'status', ...at], 0, 'migrate status'],
      [['migrate', 'up', '--dry-run', ...at], 0, 'migrate up'],
      [['migrate', 'up', ...at], 0, 'migrate up'],
      [['migrate', 'down', '--dry-run', ...at], 0, 'migrate down'],
      [['verify', ...at], 0, 'verify'],
      [['verify', '--table', 'Nope', ...at], 2, 'verify'],
      [['db', 'pull', '--table', 'Orders', ...at], 0, 'db pull'],
      [['migrate', 'generate', 'nothing'], 0, 'migrate generate'],
      [['migrate', 'create', 'later'], 0, 'migrate create'],
      [['migrate', 'unlock', '--yes', ...at], 0, 'migrate unlock'],
      [['migrate', 'resolve', '0003_marker', '--applied', ...at], 0, 'migrate resolve'],
      [['local', 'status'], 0, 'local status'],
      [['seed'], 1, 'seed'],
    ]
    for (const [args, code, command] of runs) {
      const run = await ddbm([...args, '--json'], { cwd })
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code)
      const doc = JSON.parse(run.stdout)
      expect([doc.ok, doc.command], args.join(' ')).toStrictEqual([code === 0, command])
    }
  }, 120_000)
})

describe('credentials never reach the output', () => {
  test('not with --verbose, not in errors, not in --json', async () => {
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIAddbmTESTKEY42',
      AWS_SECRET_ACCESS_KEY: 'ddbmSecretValue0042',
    }
    const outputs = await Promise.all([
      ddbm(['migrate', 'up', '--verbose', '--endpoint', engine.endpoint], { cwd, env }),
      ddbm(['verify', '--table', 'Nope', '--verbose', '--json', '--endpoint', engine.endpoint], {
        cwd,
        env,
      }),
      ddbm(['migrate', 'status', '--verbose', '--json', '--endpoint', 'http://127.0.0.1:9'], {
        cwd,
        env,
      }),
    ])
    expect(outputs.map((o) => o.code)).toStrictEqual([0, 2, 1])
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain('ddbmSecretValue0042')
      expect(o.stdout + o.stderr).not.toContain('AKIAddbmTESTKEY42')
    }
  }, 60_000)
})
