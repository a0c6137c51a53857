import type { Command } from '../command.js'

/**
 * `ddbm completion`: prints a shell completion script, for bash or for zsh (yargs picks by `$SHELL`), to
 * append to `~/.bashrc` or `~/.zshrc`. The script asks `ddbm --get-yargs-completions <words>` for the
 * commands and options that can follow what is typed; yargs answers that before any command runs.
 */
export function completionCommand(): Command {
  return (y) =>
    y.completion(
      'completion',
      'Print a bash or zsh completion script (by $SHELL): ddbm completion >> ~/.bashrc',
    )
}
