import { DdbmError } from '../errors.js'

/** The widest help text ddbm prints, whatever the terminal's width. */
export const HELP_MAX_WIDTH = 110

/** The width yargs wraps help to: the terminal's columns, at most {@link HELP_MAX_WIDTH}. */
export function helpWidth(columns: number | undefined): number {
  return Math.min(HELP_MAX_WIDTH, columns ?? HELP_MAX_WIDTH)
}

/** The message `.demandCommand()` fails with when no command is named. */
export const NAME_A_COMMAND = 'Name a command.'

/**
 * Thrown by the CLI's failure handler instead of a usage error when the arguments name no command (bare
 * `ddbm`, or a group such as `ddbm migrate`): `text` is that level's help, printed on stdout, exit 0.
 */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help requested')
    this.name = 'HelpRequested'
  }
}

// yargs' labels after an option's description: [boolean], [string], [required], [default: x]...
const LABELS =
  /(\[(?:boolean|count|string|array|number|required|deprecated|choices:|default:)[^\]]*\](?: \[[^\]]*\])*)$/

/**
 * Help text as yargs makes it, with one flaw of its layout (cliui) repaired: when the last line of an
 * option's description ends exactly where the right-aligned labels start, yargs writes them on the same
 * line without a space (`change nothing[boolean]`). Such a line is split: the description, then the labels
 * right-aligned to `width` on a line of their own, as yargs does when they do not fit. Other lines are kept.
 */
export function tidyHelp(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const match = LABELS.exec(line)
      if (match === null || match.index === 0 || line[match.index - 1] === ' ') return [line]
      const labels = match[1] ?? ''
      return [
        line.slice(0, match.index).trimEnd(),
        `${' '.repeat(Math.max(0, width - labels.length))}${labels}`,
      ]
    })
    .join('\n')
}

/** What a usage failure of yargs becomes: the help of the level named, or a USAGE error. */
export type UsageFailure = HelpRequested | DdbmError

/**
 * Turns a yargs failure message into what the CLI reports. `args` are the raw arguments and `words` the
 * command words among them (`['migrate', 'upp']`); `help` is the
 * help text of the command level that failed (yargs' `showHelp`), from which the known options and
 * whether that level has subcommands are read.
 *
 * - No command named (`ddbm`, `ddbm migrate`): HelpRequested with that level's help, unless `json`
 *   (stdout must then hold one JSON document, so it stays a USAGE error).
 * - Unknown arguments: each named once, as typed (`--dry-runn`, not also yargs' camel-case copy
 *   `dryRunn`), with the closest known option as a hint.
 * - An unknown command close to a known one: says which word is unknown as well as yargs' suggestion.
 */
export function usageFailure(
  message: string,
  input: { args: readonly string[]; words: readonly string[] },
  help: string,
  json: boolean,
): UsageFailure {
  const { words } = input
  const groupWithoutCommand =
    message.startsWith('Not enough non-option arguments: got 0') && /^Commands:$/m.test(help)
  if (message === NAME_A_COMMAND || groupWithoutCommand) {
    return json ? new DdbmError('USAGE', message) : new HelpRequested(help)
  }
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message)
  if (unknown?.[1] !== undefined) return unknownArguments(unknown[1].split(', '), input, help)
  const recommended = /^Did you mean (.*)\?$/.exec(message)
  if (recommended?.[1] !== undefined) {
    const suggested = recommended[1]
    const word = [...words]
      .filter((w) => w !== suggested)
      .sort((a, b) => distance(a, suggested) - distance(b, suggested))[0]
    const what = word === undefined ? 'Unknown command' : `Unknown command "${word}"`
    return new DdbmError('USAGE', `${what}; did you mean "${suggested}"?`)
  }
  return new DdbmError('USAGE', message)
}

function unknownArguments(
  names: string[],
  { args, words }: { args: readonly string[]; words: readonly string[] },
  help: string,
): DdbmError {
  // yargs-parser adds a camel-case copy of every dashed option (`dry-runn` → `dryRunn`) and strict mode
  // reports both; the copy is dropped unless the user typed it.
  const typed = names.filter(
    (name) =>
      !names.some((other) => other !== name && camelCase(other) === name) ||
      asTyped(name, args) !== undefined,
  )
  const shown = [...new Set(typed.map((name) => asTyped(name, args) ?? name))]
  const known = knownOptions(help)
  const suggestions = shown
    .filter((name) => name.startsWith('-'))
    .map((name) => ({ name, best: closest(name.replace(/^-+(no-)?/, ''), known) }))
    .filter((s) => s.best !== undefined)
  const guess =
    suggestions.length === 1 && shown.length === 1
      ? `Did you mean --${suggestions[0]?.best}?`
      : suggestions.map((s) => `${s.name}: did you mean --${s.best}?`).join(' ')
  const command = ['ddbm', ...words.filter((w) => !shown.includes(w)), '--help'].join(' ')
  return new DdbmError(
    'USAGE',
    `Unknown argument${shown.length === 1 ? '' : 's'}: ${shown.join(', ')}`,
    undefined,
    suggestions.length === 0 ? {} : { hint: `${guess} \`${command}\` lists the options.` },
  )
}

/** `name` as the user wrote it (`--name`, `--name=x`, `--no-name`, `-n`), or undefined if not among `args`. */
function asTyped(name: string, args: readonly string[]): string | undefined {
  for (const arg of args) {
    if (arg === '--') break
    const flag = arg.split('=')[0] ?? arg
    if (flag === `--${name}` || flag === `--no-${name}`) return flag
    if (name.length === 1 && /^-[^-]/.test(flag) && flag.includes(name)) return `-${name}`
    if (arg === name) return name
  }
  return undefined
}

function camelCase(name: string): string {
  return name.replace(/-+([^-])/g, (_, c: string) => c.toUpperCase())
}

/** The long options a help text lists (`--dry-run` → `dry-run`). */
function knownOptions(help: string): string[] {
  return [...new Set([...help.matchAll(/(?:^|[\s,])--([a-z][a-z0-9-]*)/gm)].map((m) => m[1] ?? ''))]
}

/** The known option nearest to `word` when it is near enough to be a typo (edit distance ≤ 2 or a third). */
function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = Infinity
  for (const option of known) {
    const score = distance(word.toLowerCase(), option)
    if (score < bestScore) [best, bestScore] = [option, score]
  }
  return bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
