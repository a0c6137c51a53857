import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate generate <name>`: the next migration from the diff of schemas/; no database needed. */
export function migrateGenerateCommand(reporter: Reporter): Command {
  return leaf({
    command: 'generate <name>',
    describe: 'Write the next migration from the diff of schemas/ against the migrations (offline)',
    builder: (y) => y.positional('name', { type: 'string', demandOption: true }),
    handler: async (argv) => {
      const { generateMigration } = await import('../../api/generate.js')
      const result = await generateMigration({
        ...projectOptions(argv),
        name: argv.name,
      })
      const lines =
        result.file === undefined
          ? ['no changes: schemas/ matches what the migrations produce; nothing written']
          : [`wrote ${result.file}`, ...result.plan.map((p) => `  ${p}`)]
      for (const note of result.notes) lines.push(`note: ${note}`)
      reporter.result(result, lines.join('\n'))
    },
  })
}
