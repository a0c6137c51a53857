import { randomUUID } from 'node:crypto'
import { describe, expect, onTestFinished, test } from 'vitest'
import { ERRORS } from '../../src/errors.js'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engines, type Engine } from '../helpers/engines.js'
import { protectedProjectFiles } from '../helpers/protected-project.js'
import { tempTree } from '../helpers/temp-tree.js'

const engine = engines()[0] as Engine
const at = ['--endpoint', engine.endpoint]

describe('the CLI on a protected environment', () => {
  test('--yes alone exits 2 with the reason on stderr; --json prints the error document; --confirm-env prod proceeds', async () => {
    const suffix = randomUUID().slice(0, 8)
    const cwd = await tempTree('ddbm-protect-e2e-', protectedProjectFiles(suffix))
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    expect((await ddbm(['migrate', 'up', '--env', 'prod', ...at], { cwd })).code).toBe(0)
    const drop = ['migrate', 'up', '--env', 'prod', '--config', 'drop-table.config.json', ...at]
    const message = `Refusing migrate up on environment "prod", protected in ddbm.config.json:\n  0002_drop_table: delete table Legacy-p${suffix}`

    const yes = await ddbm([...drop, '--yes'], { cwd })
    expect([yes.code, yes.stdout]).toStrictEqual([2, ''])
    expect(yes.stderr).toBe(
      `error: ${message}\n--yes does not confirm them: name the environment with --confirm-env prod\nhint: ${ERRORS.PROTECTED_ENV.hint}\n`,
    )

    const json = await ddbm([...drop, '--confirm-env', 'staging', '--json'], { cwd })
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toStrictEqual({
      ok: false,
      command: 'migrate up',
      error: {
        code: 'PROTECTED_ENV',
        exitCode: 2,
        message: `${message}\n--confirm-env names "staging", not "prod"`,
        hint: ERRORS.PROTECTED_ENV.hint,
        details: {
          env: 'prod',
          steps: [`0002_drop_table: delete table Legacy-p${suffix}`],
          protectedBy: 'config',
          confirmEnv: 'staging',
        },
      },
    })

    const confirmed = await ddbm([...drop, '--confirm-env', 'prod', '--no-verify', '--json'], {
      cwd,
    })
    expect(confirmed.code).toBe(0)
    const doc = JSON.parse(confirmed.stdout)
    expect(doc.result.status.map((r: { state: string }) => r.state)).toStrictEqual([
      'applied',
      'applied',
    ])
    // DynamoDB Local takes no backups: the deletion ran, reported so on stderr.
    expect(doc.result.backups).toBeUndefined()
    expect(confirmed.stderr).toContain(`warning: no backup of Legacy-p${suffix}:`)

    // A dev config pointed at prod's tables is refused, whatever it confirms.
    const dev = await ddbm(['seed', '--env', 'dev', '--confirm-env', 'dev', ...at], { cwd })
    expect(dev.code).toBe(2)
    expect(dev.stderr).toMatch(
      new RegExp(
        `^error: Meta table ddbm_migrations-p${suffix} belongs to environment "prod" \\(recorded .+\\), not "dev": the config's "dev" points at the tables of "prod"\nhint: `,
      ),
    )
  })
})
