import { styleText } from 'node:util'

/** The variables that decide colour; the rest of the environment is ignored. */
export type ColorEnv = {
  NO_COLOR?: string | undefined
  FORCE_COLOR?: string | undefined
  TERM?: string | undefined
}

/**
 * Whether text written to a stream may carry colour. Never in --json. `NO_COLOR` with any non-empty value
 * turns it off (https://no-color.org), and wins over `FORCE_COLOR`; `FORCE_COLOR` turns it on even when the
 * stream is not a terminal (CI logs that render ANSI), except `FORCE_COLOR=0` or `false`, which turn it off.
 * Otherwise colour only on a terminal (`isTTY`) whose `TERM` is not `dumb`.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: ColorEnv, json: boolean): boolean {
  if (json) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  return stream.isTTY === true && env.TERM !== 'dumb'
}

/** One text style; identity when colour is off. */
type Paint = (text: string) => string

/**
 * How human output is decorated. Render functions take a Style and never decide colour themselves: the
 * Reporter passes `PLAIN` or a coloured style decided once from its streams and environment.
 */
export type Style = {
  /** Whether this style adds escape codes at all. */
  color: boolean
  bold: Paint
  dim: Paint
  /** Success: ok, applied, done. */
  good: Paint
  /** Failure: drift, failed, changed, missing. */
  bad: Paint
  /** Needs attention: unsupported, pending, running, waiting. */
  warn: Paint
  /**
   * A status word in the colour its meaning has (ok green, drift red, pending yellow...); `text`, when
   * given, is painted in the word's colour instead of the word. Unknown words stay plain.
   */
  status: (word: string, text?: string) => string
}

/** The tone of each status word ddbm prints (verify checks, migration states, step and lock statuses). */
const STATUS_TONES: Record<string, 'good' | 'bad' | 'warn' | 'dim'> = {
  ok: 'good',
  applied: 'good',
  done: 'good',
  reverted: 'good',
  running: 'warn',
  acquired: 'good',
  released: 'dim',
  drift: 'bad',
  failed: 'bad',
  FAILED: 'bad',
  changed: 'bad',
  missing: 'bad',
  lost: 'bad',
  unsupported: 'warn',
  pending: 'warn',
  waiting: 'warn',
  'taken-over': 'warn',
  countdown: 'warn',
  alive: 'dim',
  interrupted: 'warn',
  INTERRUPTED: 'warn',
  skipped: 'dim',
  sent: 'dim',
}

function makeStyle(color: boolean): Style {
  // validateStream: false because the decision is ours (colorEnabled), made once from injected values.
  const paint =
    (format: 'bold' | 'dim' | 'green' | 'red' | 'yellow'): Paint =>
    (text) =>
      color && text !== '' ? styleText(format, text, { validateStream: false }) : text
  const tones = {
    good: paint('green'),
    bad: paint('red'),
    warn: paint('yellow'),
    dim: paint('dim'),
  }
  return {
    color,
    bold: paint('bold'),
    dim: tones.dim,
    good: tones.good,
    bad: tones.bad,
    warn: tones.warn,
    status: (word, text = word) => {
      const tone = Object.hasOwn(STATUS_TONES, word) ? STATUS_TONES[word] : undefined
      return tone === undefined ? text : tones[tone](text)
    },
  }
}

/** No decoration at all (--json, pipes, NO_COLOR). */
export const PLAIN: Style = makeStyle(false)

/** ANSI colours (only where colorEnabled said so). */
export const COLOR: Style = makeStyle(true)
