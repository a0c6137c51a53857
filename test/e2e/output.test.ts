import { describe, expect, inject, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { dropTables } from '../helpers/engines.js'
import { migrationProject, tmpProject } from '../helpers/temp-tree.js'

describe('ddbm completion', () => {
  test('prints a bash script by default and a zsh script from zsh, both asking ddbm for completions', async () => {
    const cwd = await tmpProject()
    const bash = await ddbm(['completion'], {
      cwd,
      env: { SHELL: '/bin/bash', ZSH_NAME: undefined },
    })
    expect([bash.code, bash.stderr]).toStrictEqual([0, ''])
    expect(bash.stdout).toMatch(/^###-begin-ddbm-completions-###\n/)
    expect(bash.stdout).toContain('ddbm --get-yargs-completions "${args[@]}"')
    expect(bash.stdout).toContain(
      'complete -o bashdefault -o default -F _ddbm_yargs_completions ddbm\n',
    )
    const zsh = await ddbm(['completion'], { cwd, env: { SHELL: '/usr/bin/zsh' } })
    expect(zsh.code).toBe(0)
    expect(zsh.stdout).toMatch(/^#compdef ddbm\n###-begin-ddbm-completions-###\n/)
    expect(zsh.stdout).toContain('compdef _ddbm_yargs_completions ddbm\n')
  })

  test('--get-yargs-completions lists the subcommands of a group, and the top-level commands', async () => {
    const cwd = await tmpProject()
    const migrate = await ddbm(['--get-yargs-completions', 'migrate'], { cwd })
    expect([migrate.code, migrate.stdout.trim().split('\n')]).toStrictEqual([
      0,
      ['up', 'down', 'status', 'create', 'generate', 'unlock', 'resolve', 'worker'],
    ])
    const local = await ddbm(['--get-yargs-completions', 'local', ''], { cwd })
    expect(local.stdout.trim().split('\n')).toStrictEqual(['start', 'stop', 'status'])
    const top = await ddbm(['--get-yargs-completions', ''], { cwd })
    expect(top.stdout.trim().split('\n')).toStrictEqual([
      'validate',
      'migrate',
      'verify',
      'seed',
      'init',
      'db',
      'studio',
      'local',
      'completion',
    ])
  })
})

describe('--quiet and colour on a real run', () => {
  test('--quiet: a migrate up, a status and a verify print nothing at all; an error still prints', async () => {
    const endpoint = inject('dynamodbLocalEndpoint')
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(endpoint, suffix))
    const at = ['--endpoint', endpoint, '--quiet']
    for (const args of [['migrate', 'up'], ['migrate', 'status'], ['verify'], ['seed']]) {
      const run = await ddbm([...args, ...at], { cwd })
      expect([run.code, run.stdout, run.stderr], args.join(' ')).toStrictEqual([0, '', ''])
    }
    const failed = await ddbm(['verify', '--table', 'Nope', ...at], { cwd })
    expect([failed.code, failed.stdout, failed.stderr.split('\n')[0]]).toStrictEqual([
      2,
      '',
      'error: Unknown table "Nope": schemas/ defines Customers, Orders',
    ])
    const json = await ddbm(['migrate', 'status', '--json', ...at], { cwd })
    expect([json.code, json.stderr, JSON.parse(json.stdout).ok]).toStrictEqual([0, '', true])
  })

  test('piped output has no escape codes; FORCE_COLOR adds them; NO_COLOR wins; --json never has them', async () => {
    const endpoint = inject('dynamodbLocalEndpoint')
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(endpoint, suffix))
    const at = ['--endpoint', endpoint]
    const plain = await ddbm(['migrate', 'status', ...at], { cwd })
    expect(plain.stdout + plain.stderr).not.toContain('\x1b[')
    expect(plain.stdout.split('\n')[2]).toBe('0001_tables   pending')
    const forced = await ddbm(['migrate', 'status', ...at], { cwd, env: { FORCE_COLOR: '1' } })
    expect(forced.stdout.split('\n')[2]).toBe('0001_tables   \x1b[33mpending\x1b[39m')
    const both = await ddbm(['migrate', 'status', ...at], {
      cwd,
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    })
    expect(both.stdout).toBe(plain.stdout)
    const json = await ddbm(['migrate', 'up', '--json', ...at], { cwd, env: { FORCE_COLOR: '1' } })
    expect(json.code).toBe(0)
    expect(json.stdout + json.stderr).not.toContain('\x1b[')
  })
})
