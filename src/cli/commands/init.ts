import type { InitResult } from '../../api/index.js'
import { leaf, type Command } from '../command.js'
import { projectOptions } from '../global-options.js'
import type { Reporter } from '../reporter.js'

/**
 * `ddbm init`: scaffolds a project in the working directory (or the folder of `--config`); refuses (exit 2,
 * nothing written) when any file it would create exists. Prints the files, the package.json suggestions
 * and the commands to run next.
 */
export function initCommand(reporter: Reporter): Command {
  return leaf({
    command: 'init',
    describe: 'Scaffold ddbm.config.json, schemas/, migrations/ and seeds/ (never overwrites)',
    builder: (y) =>
      y
        .example('$0 init', 'in a new folder: config, an example table, a seed; then:')
        .example('$0 migrate generate init', 'the first migration, from schemas/'),
    handler: async (argv) => {
      const { init } = await import('../../api/init.js')
      const result = await init(projectOptions(argv))
      reporter.result(result, renderInit(result))
    },
  })
}

/** The human text of an init result. */
export function renderInit(result: InitResult): string {
  const lines = result.created.map((file) => `created ${file}`)
  const { gitignore, packageJson } = result
  if (gitignore.status !== 'unchanged') {
    lines.push(`${gitignore.status} ${gitignore.file} (${gitignore.added.join(', ')})`)
  }
  const suggestions = packageJson.suggestions
  if (suggestions === null) {
    lines.push('', 'No package.json here: run ddbm with npx, or add it to a project later.')
  } else {
    const scripts = Object.entries(suggestions.scripts)
    if (suggestions.install !== null || scripts.length > 0) {
      lines.push('', 'package.json found (ddbm never edits it); add:')
      if (suggestions.install !== null) lines.push(`  ${suggestions.install}`)
      if (scripts.length > 0) {
        lines.push('  "scripts": {')
        lines.push(
          scripts
            .map(([name, cmd]) => `    ${JSON.stringify(name)}: ${JSON.stringify(cmd)}`)
            .join(',\n'),
        )
        lines.push('  }')
      }
    }
  }
  lines.push('', 'next:', ...result.next.map((cmd) => `  ${cmd}`))
  return lines.join('\n')
}
