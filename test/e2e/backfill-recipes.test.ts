import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { expect, onTestFinished, test } from 'vitest'
import {
  backfilled,
  backfillProject,
  preparedBackfill,
  scanItems,
} from '../helpers/backfill-project.js'
import { ddbm, startDdbm } from '../helpers/cli.js'
import { describeOn, dropTables, engines, type Engine } from '../helpers/engines.js'
import { tempTree } from '../helpers/temp-tree.js'

const DOC = readFileSync(new URL('../../docs/backfills.md', import.meta.url), 'utf8')
const ITEMS = 1_500

/** The worker commands of docs/backfills.md's three recipes, as each runner would start them. */
function recipes(): {
  runner: string
  args: string[]
  env: Record<string, string>
  slot: unknown
}[] {
  const k8s = /completionMode: Indexed[\s\S]*?command:\s*(\[.*\])/.exec(DOC)?.[1]
  const batch = /```json\n([\s\S]*?"arrayProperties"[\s\S]*?)```/.exec(DOC)?.[1]
  const matrix = /- run: (npx ddbm migrate worker .*)/.exec(DOC)?.[1]
  expect([k8s, batch, matrix].map((x) => x !== undefined)).toStrictEqual([true, true, true])
  const k8sCommand = JSON.parse((k8s ?? '').replaceAll("'", '"')) as string[]
  const batchCommand = (JSON.parse(batch ?? '') as { containerOverrides: { command: string[] } })
    .containerOverrides.command
  const matrixCommand = (matrix ?? '')
    .replace('${{ strategy.job-index }}', '3')
    .replace('${{ strategy.job-total }}', '4')
    .split(' ')
  return [
    {
      runner: 'kubernetes',
      args: k8sCommand,
      env: { JOB_COMPLETION_INDEX: '1' },
      slot: { index: 1, count: 4 },
    },
    {
      runner: 'aws-batch',
      args: batchCommand,
      env: { AWS_BATCH_JOB_ARRAY_INDEX: '2' },
      slot: { index: 2, count: 4 },
    },
    { runner: 'github-matrix', args: matrixCommand, env: {}, slot: { index: 3, count: 4 } },
  ]
}

/** A recipe's command for this test: ddbm's own CLI, environment `t` on the test engine, JSON output. */
function local(args: string[], endpoint: string): string[] {
  expect(args.slice(0, 4)).toStrictEqual(['npx', 'ddbm', 'migrate', 'worker'])
  const rest = args.slice(2)
  const env = rest.indexOf('--env')
  if (env >= 0) rest.splice(env, 2, '--env', 't')
  return [...rest, '--json', '--endpoint', endpoint]
}

const engine = engines()[0] as Engine

describeOn(engine, `${engine.name}: the runner recipes of docs/backfills.md`, () => {
  test('each recipe’s worker reads its index as its runner gives it and joins the backfill', async () => {
    const shape = { segments: 8, concurrency: 2, pageSize: 50 }
    const { cwd, at, table, client } = await preparedBackfill(engine, shape, ITEMS)

    // The workers start first, as a runner may start them: they wait for the backfill.
    const started = recipes().map((r) => ({
      ...r,
      run: startDdbm(local(r.args, engine.endpoint), { cwd, env: r.env }),
    }))
    onTestFinished(() => {
      for (const r of started) r.run.child.kill('SIGKILL')
    })
    await new Promise((r) => setTimeout(r, 1500))
    const up = await ddbm(['migrate', 'up', '--no-verify', '--json', ...at], { cwd })
    expect(up.code, up.stderr).toBe(0)

    for (const r of started) {
      const out = await r.run.done
      expect(out.code, `${r.runner}: ${out.stderr}`).toBe(0)
      const doc = JSON.parse(out.stdout) as {
        result: { slot: unknown; backfills: { migration: string; name: string }[] }
      }
      expect([r.runner, doc.result.slot]).toStrictEqual([r.runner, r.slot])
      expect(doc.result.backfills.map((b) => [b.migration, b.name])).toStrictEqual([
        ['0002_backfill', 'backfill'],
      ])
    }
    const items = await scanItems(client, table)
    expect(items.map(({ touched: _t, ...item }) => item)).toStrictEqual(backfilled(ITEMS))
  }, 120_000)

  test('a worker started when every migration is applied exits at once with nothing joined', async () => {
    const suffix = randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const cwd = await tempTree(
      'ddbm-recipes-',
      backfillProject(suffix, { segments: 2, concurrency: 2, pageSize: 50 }),
    )
    const at = ['--endpoint', engine.endpoint]
    expect((await ddbm(['migrate', 'up', '--no-verify', ...at], { cwd })).code).toBe(0)
    const worker = await ddbm(['migrate', 'worker', '--json', '--wait', '5m', ...at], { cwd })
    expect(worker.code, worker.stderr).toBe(0)
    expect(JSON.parse(worker.stdout)).toStrictEqual({
      ok: true,
      command: 'migrate worker',
      result: { env: 't', metaTable: `ddbm_migrations-${suffix}`, backfills: [] },
    })
  })
})
