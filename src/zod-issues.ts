import { z } from 'zod'
import { jsonPath, type Issue } from './issues.js'

/**
 * One zod issue in words: an Issue without its `file`, which the caller adds. `path` is JSON-path text
 * (`GlobalSecondaryIndexes[1].KeySchema`, '' for the root), `message` says what is wrong with the value
 * found there, and `hint` what to write instead.
 */
type IssueText = Omit<Issue, 'file'>

/** How describeZodIssues words its messages and hints. */
export type DescribeOptions = {
  /**
   * The schema that produced the issues. An unknown property is compared with the properties this
   * schema allows at its place, to list them and suggest the closest ("did you mean"). Without it, the
   * hint only says to remove the property.
   */
  schema?: z.ZodType
  /** Example JSON text by property name (`KeyType: '"HASH"'`), for hints on missing or mistyped properties. */
  examples?: Readonly<Record<string, string>>
  /** Hint when the root value itself has the wrong type; default: the generic wrong-type hint. */
  rootHint?: string
  /** Hint for issues with no specific wording (refinements, unions...); default: no hint. */
  fallbackHint?: string
}

type ZodIssue = z.core.$ZodIssue

const TYPE_TEXT: Record<string, [text: string, example: string]> = {
  string: ['a string', '"text"'],
  number: ['a number', '5'],
  int: ['a whole number', '5'],
  boolean: ['true or false', 'true'],
  array: ['an array', '[]'],
  object: ['an object', '{}'],
}

const FORMAT_TEXT: Record<string, string> = { url: 'URL', email: 'email address', uuid: 'UUID' }

/**
 * Clear, hinted texts for the zod 4 `issues` of parsing `input`, in this order: every unknown
 * property (one text each, with "did you mean" when a known property is close), then the other
 * issues in zod's order. A missing required property is "missing required property", except when an
 * unknown property was already suggested as its misspelling. Enum values are listed; wrong types say
 * what was found, and a number or boolean written as a string gets "write 5 without quotes".
 * `input` must be the value that was parsed: it tells missing properties from wrong values.
 */
export function describeZodIssues(
  issues: readonly ZodIssue[],
  input: unknown,
  opts: DescribeOptions = {},
): IssueText[] {
  const out: IssueText[] = []
  const suggested = new Set<string>()
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue
    const allowed = opts.schema === undefined ? [] : allowedKeys(opts.schema, issue.path)
    for (const key of issue.keys) {
      const best = closest(key, allowed).best
      if (best !== undefined) suggested.add(jsonPath([...issue.path, best]))
      out.push({
        path: jsonPath([...issue.path, key]),
        message: `unknown property ${JSON.stringify(key)}`,
        hint: allowed.length === 0 ? 'remove it' : suggest(key, allowed, 'allowed properties'),
      })
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue
    const at = jsonPath(issue.path)
    const name = issue.path.at(-1)
    const { present, value } = lookup(input, issue.path)
    if (!present && issue.path.length > 0) {
      // a misspelt property already reported as unknown, with this one as its suggestion
      if (suggested.has(at)) continue
      out.push({
        path: at,
        message: `missing required property ${JSON.stringify(name)}`,
        hint: `add ${JSON.stringify(name)}: ${exampleFor(issue, name, opts.examples)}`,
      })
      continue
    }
    const text = explain(issue, value, name, opts)
    const hint =
      issue.path.length === 0 && issue.code === 'invalid_type' ? opts.rootHint : undefined
    out.push({ path: at, ...text, ...(hint === undefined ? {} : { hint }) })
  }
  return out
}

/** The value at `at` inside `data`, and whether its parent object has that key at all. */
function lookup(data: unknown, at: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let value: unknown = data
  for (const part of at) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) {
      return { present: false, value: undefined }
    }
    value = (value as Record<PropertyKey, unknown>)[part]
  }
  return { present: true, value }
}

function unwrap(s: z.ZodType): z.ZodType {
  const wrapped =
    s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault
  return wrapped ? unwrap(s.unwrap() as z.ZodType) : s
}

/** The property names `schema` allows for the object at `at`; [] when that is not an object. */
function allowedKeys(schema: z.ZodType, at: readonly PropertyKey[]): string[] {
  let current = schema
  for (const part of at) {
    const s = unwrap(current)
    if (typeof part === 'number' && s instanceof z.ZodArray) current = s.element as z.ZodType
    else if (typeof part === 'string' && s instanceof z.ZodObject && part in s.shape) {
      current = s.shape[part] as z.ZodType
    } else if (typeof part === 'string' && s instanceof z.ZodRecord) {
      current = s.valueType as z.ZodType
    } else return []
  }
  const s = unwrap(current)
  return s instanceof z.ZodObject ? Object.keys(s.shape) : []
}

function distance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const row = [i]
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost))
    }
    prev = row
  }
  return prev[y.length] ?? 0
}

/** Edit distance, with a word contained in the other (`TimeToLive`, `TimeToLiveSpecification`) near. */
function score(word: string, choice: string): number {
  const w = word.toLowerCase()
  const c = choice.toLowerCase()
  return w.length >= 3 && (c.includes(w) || w.includes(c)) ? 0.5 : distance(w, c)
}

/** `choices` closest to `word` first, and the closest one if it is close enough to suggest. */
function closest(word: string, choices: readonly string[]): { sorted: string[]; best?: string } {
  const sorted = [...choices].sort((a, b) => score(word, a) - score(word, b))
  const best = sorted[0]
  const near = best !== undefined && score(word, best) <= Math.max(2, Math.floor(word.length / 3))
  return near ? { sorted, best } : { sorted }
}

/** `noun: "a", "b"` with the choices closest to `word` first, led by "did you mean ...?" when one is close. */
export function suggest(word: string, choices: readonly string[], noun: string): string {
  const { sorted, best } = closest(word, choices)
  const list = `${noun}: ${sorted.map((c) => JSON.stringify(c)).join(', ')}`
  return best === undefined ? list : `did you mean ${JSON.stringify(best)}? ${list}`
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object' && value !== null) return 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

function exampleFor(
  issue: ZodIssue,
  name: PropertyKey | undefined,
  examples: Readonly<Record<string, string>> = {},
): string {
  const known = typeof name === 'string' ? examples[name] : undefined
  if (known !== undefined) return known
  if (issue.code === 'invalid_value') return JSON.stringify(issue.values[0])
  if (issue.code === 'invalid_type') return TYPE_TEXT[issue.expected]?.[1] ?? '...'
  return '...'
}

/** True when `text` is a number or boolean of the `expected` type written as a string ("5"). */
function quotedLiteral(text: string, expected: string): boolean {
  if (expected === 'boolean') return text === 'true' || text === 'false'
  if (expected === 'number') return text.trim() !== '' && Number.isFinite(Number(text))
  if (expected === 'int') return text.trim() !== '' && Number.isInteger(Number(text))
  return false
}

function explain(
  issue: ZodIssue,
  value: unknown,
  name: PropertyKey | undefined,
  opts: DescribeOptions,
): Omit<IssueText, 'path'> {
  const example = typeof name === 'string' ? opts.examples?.[name] : undefined
  const fallback = opts.fallbackHint === undefined ? {} : { hint: opts.fallbackHint }
  switch (issue.code) {
    case 'invalid_type': {
      const [text, typical] = TYPE_TEXT[issue.expected] ?? [issue.expected, '...']
      const unquoted = typeof value === 'string' && quotedLiteral(value, issue.expected)
      const hint = unquoted
        ? `write ${value} without quotes`
        : `write ${text}, e.g. ${example ?? typical}`
      return { message: `expected ${text}, found ${describe(value)}`, hint }
    }
    case 'invalid_value': {
      const what = typeof name === 'string' ? name : 'value'
      const message = `${describe(value)} is not a valid ${what}`
      const [only] = issue.values
      if (issue.values.length === 1 && typeof only !== 'string') {
        return { message, hint: `write ${JSON.stringify(only)}, the only allowed value` }
      }
      const allowed = issue.values.map(String)
      const word = typeof value === 'string' ? value : ''
      return { message, hint: suggest(word, allowed, 'allowed values') }
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small'
      const bound = small ? issue.minimum : issue.maximum
      const rel = issue.inclusive
        ? small
          ? 'at least'
          : 'at most'
        : small
          ? 'greater than'
          : 'less than'
      return {
        message: `${describe(value)} is too ${small ? 'small' : 'big'}; it must be ${rel} ${String(bound)}`,
        hint: `use a value ${rel} ${String(bound)}${example === undefined ? '' : `, e.g. ${example}`}`,
      }
    }
    case 'invalid_key': {
      const reason = issue.issues[0]?.message ?? issue.message
      return { message: `the key ${describe(name)} is not valid: ${reason}`, ...fallback }
    }
    case 'invalid_format': {
      // zod's own wording starts with "Invalid"; a schema's custom message is kept as written
      if (!issue.message.startsWith('Invalid')) return { message: issue.message, ...fallback }
      const noun = FORMAT_TEXT[issue.format] ?? issue.format
      const what = issue.format === 'regex' ? `does not match ${String(issue.pattern)}` : null
      const message = `${describe(value)} ${what ?? `is not a valid ${noun}`}`
      return { message, ...fallback }
    }
    default:
      return { message: issue.message, ...fallback }
  }
}
