import type { Argv, CommandModule } from 'yargs'
import { generateMigration } from '../../api/index.js'
import type { GlobalArgs } from '../global-options.js'
import type { Reporter } from '../reporter.js'

type GenerateArgs = GlobalArgs & { name: string }

/** `ddbm migrate generate <name>`: the next migration from the diff of schemas/; no database needed. */
export function migrateGenerateCommand(
  reporter: Reporter,
): CommandModule<GlobalArgs, GenerateArgs> {
  return {
    command: 'generate <name>',
    describe: 'Write the next migration from the diff of schemas/ against the migrations (offline)',
    builder: (y) =>
      y.positional('name', { type: 'string', demandOption: true }) as unknown as Argv<GenerateArgs>,
    handler: async (argv) => {
      const result = await generateMigration({
        ...(argv.config === undefined ? {} : { config: argv.config }),
        name: argv.name,
      })
      const lines =
        result.file === undefined
          ? ['no changes: schemas/ matches what the migrations produce; nothing written']
          : [`wrote ${result.file}`, ...result.plan.map((p) => `  ${p}`)]
      for (const note of result.notes) lines.push(`note: ${note}`)
      reporter.result(result, lines.join('\n'))
    },
  }
}
