import { join } from 'node:path'
import { expect, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engines, describeOn } from '../helpers/engines.js'
import {
  APPLIED_BY,
  markerStep,
  migrateResult,
  rows,
  upMigrations,
  verifyResult,
} from '../helpers/migration-documents.js'
import { migrationProject } from '../helpers/temp-tree.js'

const USAGE_HINT = 'Run `ddbm --help` or `ddbm <command> --help` for the options.'

for (const engine of engines()) {
  describeOn(
    engine,
    `${engine.name}: --json prints exactly one whole document for every implemented command`,
    () => {
      test('each command, in success and in failure, in order on one project', async () => {
        const { cwd, suffix } = await migrationProject()
        onTestFinished(() => dropTables(engine.endpoint, suffix))
        const at = ['--endpoint', engine.endpoint]
        const env = { DDBM_APPLIED_BY: APPLIED_BY }
        const verified = verifyResult(engine, suffix)
        const runs: [string[], number, unknown][] = [
          [
            ['validate'],
            0,
            {
              ok: true,
              command: 'validate',
              result: {
                configFile: join(cwd, 'ddbm.config.json'),
                env: 't',
                tables: [
                  {
                    name: 'Customers',
                    file: 'schemas/Customers.json',
                    physicalName: `Customers-${suffix}`,
                  },
                  { name: 'Orders', file: 'schemas/Orders.json', physicalName: `Orders-${suffix}` },
                ],
                migrations: ['0001_tables', '0002_indexes', '0003_marker'],
                seeds: [],
                issues: [],
              },
            },
          ],
          [
            ['migrate', 'status', ...at],
            0,
            {
              ok: true,
              command: 'migrate status',
              result: {
                env: 't',
                metaTable: `ddbm_migrations-${suffix}`,
                rows: rows('pending', 'pending', 'pending'),
                problems: [],
              },
            },
          ],
          [
            ['migrate', 'up', '--dry-run', ...at],
            0,
            {
              ok: true,
              command: 'migrate up',
              result: migrateResult(suffix, {
                dryRun: true,
                migrations: upMigrations(suffix, '0001_tables', '0002_indexes', '0003_marker'),
                status: rows('pending', 'pending', 'pending'),
              }),
            },
          ],
          [
            ['migrate', 'up', ...at],
            0,
            {
              ok: true,
              command: 'migrate up',
              result: migrateResult(suffix, {
                migrations: upMigrations(suffix, '0001_tables', '0002_indexes', '0003_marker'),
                status: rows('applied', 'applied', 'applied'),
                verify: verified,
              }),
            },
          ],
          [
            ['migrate', 'down', '--dry-run', ...at],
            0,
            {
              ok: true,
              command: 'migrate down',
              result: migrateResult(suffix, {
                direction: 'down',
                dryRun: true,
                migrations: [{ name: '0003_marker', steps: [markerStep('down')] }],
                status: rows('applied', 'applied', 'applied'),
              }),
            },
          ],
          [['verify', ...at], 0, { ok: true, command: 'verify', result: verified }],
          [
            ['verify', '--table', 'Nope', ...at],
            2,
            {
              ok: false,
              command: 'verify',
              error: {
                code: 'USAGE',
                exitCode: 2,
                message: 'Unknown table "Nope": schemas/ defines Customers, Orders',
                hint: USAGE_HINT,
                details: { table: 'Nope', known: ['Customers', 'Orders'] },
              },
            },
          ],
          [
            ['db', 'pull', '--table', 'Orders', ...at],
            0,
            {
              ok: true,
              command: 'db pull',
              result: {
                dryRun: false,
                // schemas/Orders.json already says what the live table is: not rewritten.
                written: [],
                unchanged: ['schemas/Orders.json'],
                conflicts: [],
                tables: [
                  {
                    table: 'Orders',
                    physical: `Orders-${suffix}`,
                    file: 'schemas/Orders.json',
                    status: 'unchanged',
                    written: false,
                    diff: [],
                    unreported: expect.any(Array),
                    notes: [],
                  },
                ],
                // Other tests' tables on the shared engine are skipped too.
                skipped: expect.arrayContaining([`ddbm_migrations-${suffix}`]),
              },
            },
          ],
          [
            ['migrate', 'generate', 'nothing'],
            0,
            {
              ok: true,
              command: 'migrate generate',
              result: { up: [], down: [], plan: [], notes: [] },
            },
          ],
          [
            ['migrate', 'create', 'later'],
            0,
            {
              ok: true,
              command: 'migrate create',
              result: { name: '0004_later', file: 'migrations/0004_later.json' },
            },
          ],
          [
            ['migrate', 'unlock', '--yes', ...at],
            0,
            { ok: true, command: 'migrate unlock', result: { removed: false } },
          ],
          [
            ['migrate', 'resolve', '0003_marker', '--applied', ...at],
            0,
            {
              ok: true,
              command: 'migrate resolve',
              result: { name: '0003_marker', status: 'applied' },
            },
          ],
          [
            ['local', 'status'],
            0,
            { ok: true, command: 'local status', result: { running: false } },
          ],
          [
            ['seed', '--dry-run', ...at],
            0,
            { ok: true, command: 'seed', result: { env: 't', seed: 1, dryRun: true, tables: [] } },
          ],
          [
            ['init'],
            2,
            {
              ok: false,
              command: 'init',
              error: {
                code: 'INIT_EXISTS',
                exitCode: 2,
                message: 'ddbm init writes nothing: this file exists already: ddbm.config.json',
                hint: 'Move or delete the files listed (nothing was written), or run `ddbm init` in another folder (`--config <folder>/ddbm.config.json`).',
                details: { existing: ['ddbm.config.json'] },
              },
            },
          ],
        ]
        for (const [args, code, doc] of runs) {
          const run = await ddbm([...args, '--json'], { cwd, env })
          expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(code)
          expect(JSON.parse(run.stdout), args.join(' ')).toStrictEqual(doc)
        }
        // The pulled skip list names no table of this project but the meta table.
        const pulled = await ddbm(['db', 'pull', '--json', ...at], { cwd, env })
        expect(
          (JSON.parse(pulled.stdout).result.skipped as string[]).filter((t) => t.endsWith(suffix)),
        ).toStrictEqual([`ddbm_migrations-${suffix}`])
      }, 120_000)

      test('credentials never reach the output: not with --verbose, not in errors, not in --json', async () => {
        const { cwd, suffix } = await migrationProject()
        onTestFinished(() => dropTables(engine.endpoint, suffix))
        const env = {
          AWS_ACCESS_KEY_ID: 'AKIAddbmTESTKEY42',
          AWS_SECRET_ACCESS_KEY: 'ddbmSecretValue0042',
        }
        const outputs = await Promise.all([
          ddbm(['migrate', 'up', '--verbose', '--endpoint', engine.endpoint], { cwd, env }),
          ddbm(
            ['verify', '--table', 'Nope', '--verbose', '--json', '--endpoint', engine.endpoint],
            {
              cwd,
              env,
            },
          ),
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
    },
  )
}
