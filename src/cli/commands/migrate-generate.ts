import { leaf, type Command } from '../command.js'
import { sessionOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate generate <name>`: the next migration from the diff of schemas/; no database needed. */
export function migrateGenerateCommand(reporter: Reporter): Command {
  return leaf({
    command: 'generate <name>',
    describe: 'Write the next migration from the diff of schemas/ against the migrations (offline)',
    builder: (y) =>
      y
        .positional('name', {
          type: 'string',
          demandOption: true,
          describe: 'What it does, in snake_case: the file is NNNN_<name>.json',
        })
        .example(
          '$0 migrate generate add_email_index',
          'after editing schemas/: the migration it needs',
        ),
    handler: async (argv) => {
      const { generateMigration } = await import('../../api/generate.js')
      const result = await generateMigration({
        ...sessionOptions(argv),
        name: argv.name,
      })
      const lines =
        result.file === undefined
          ? noChanges(result.pending)
          : [`wrote ${result.file}`, ...result.plan.map((p) => `  ${p}`)]
      for (const note of result.notes) lines.push(`note: ${note}`)
      reporter.result(result, lines.join('\n'))
    },
  })
}

/** "no changes", and where to go from there: `migrate up` when migrations are pending (or may be). */
function noChanges(pending: string[] | undefined): string[] {
  const head = 'no changes: schemas/ matches what migrations/ build; nothing written'
  if (pending === undefined) {
    return [
      head,
      'if `ddbm verify` reports drift, apply the pending migrations with `ddbm migrate up` (`ddbm migrate status` lists them)',
    ]
  }
  const n = pending.length
  if (n === 0) return [head]
  return [
    `${head}; ${n} ${n === 1 ? 'migration' : 'migrations'} pending (${pending.join(', ')}): run \`ddbm migrate up\``,
  ]
}
