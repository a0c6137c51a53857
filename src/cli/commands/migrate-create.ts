import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/** `ddbm migrate create <name> [--ts]`: the next empty migration file; offline. */
export function migrateCreateCommand(reporter: Reporter): Command {
  return leaf({
    command: 'create <name>',
    describe: 'Write the next empty migration (JSON operations, or --ts for a data migration)',
    builder: (y) =>
      y
        .positional('name', {
          type: 'string',
          demandOption: true,
          describe: 'What it does, in snake_case: the file is NNNN_<name>.json',
        })
        .option('ts', {
          type: 'boolean',
          default: false,
          describe: 'A TypeScript data migration (NNNN_<name>.ts)',
        })
        .example('$0 migrate create add_orders', 'migrations/NNNN_add_orders.json to fill in')
        .example('$0 migrate create backfill_status --ts', 'a data migration in TypeScript'),
    handler: async (argv) => {
      const { createMigration } = await import('../../api/create-migration.js')
      const created = await createMigration({
        ...projectOptions(argv),
        name: argv.name,
        ts: argv.ts,
      })
      reporter.result(created, `created ${created.file}`)
    },
  })
}
