import { z } from 'zod'
import type { Issue } from '../issues.js'
import { describeZodIssues } from '../zod-issues.js'

/** A whole number above zero: an item count. */
const Count = z.int().positive()

/** A per-environment count: `default` plus any environment names. */
const CountMap = z.object({ default: Count }).catchall(Count)

/**
 * The shape of a seed definition, with `count` either form: the variant is picked from the value found,
 * so a wrong count is reported against one form, not as "matches no member of a union".
 */
function definitionSchema(count: z.ZodType) {
  return z.strictObject({
    table: z.string().min(1),
    count,
    environments: z.array(z.string().min(1)).optional(),
    dependsOn: z.array(z.string().min(1)).optional(),
    summarizeBy: z.string().min(1).optional(),
    generate: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
      message: 'expected a function, e.g. ({ faker, i }) => ({ ... })',
    }),
  })
}

/** Example values for the hints about missing or mistyped properties, by property name. */
const EXAMPLES: Record<string, string> = {
  table: "'Candidates'",
  count: '500 (or { default: 500, staging: 50_000 })',
  default: '500',
  environments: "['local', 'dev']",
  dependsOn: "['Candidates']",
  summarizeBy: "'status'",
  generate: '({ faker, i }) => ({ PK: `ID#${i}`, name: faker.person.fullName() })',
}

/**
 * The Issues of the default export of a `.seed.ts` file (`file`, relative to the root), `[]` when it is
 * a valid SeedDefinition: missing export, count not a positive whole number or a per-environment map
 * without `default`, `generate` not a function, unknown properties (with "did you mean" for a misspelt
 * one), wrong types. Paths are JSON-ish: `count.default`, `dependsOn[1]`.
 */
export function definitionIssues(value: unknown, file: string): Issue[] {
  if (value === undefined) {
    return [
      {
        file,
        path: '',
        message: 'has no default export',
        hint: "add `export default defineSeed({ table: '...', count: 100, generate: ({ faker, i }) => ({ ... }) })`",
      },
    ]
  }
  const raw = value as { count?: unknown } | null
  const countForm =
    typeof raw === 'object' && raw !== null && typeof raw.count === 'object' ? CountMap : Count
  const schema = definitionSchema(countForm)
  const parsed = schema.safeParse(value)
  if (parsed.success) return []
  const texts = describeZodIssues(parsed.error.issues, value, {
    schema,
    examples: EXAMPLES,
    rootHint: 'export default defineSeed({ table, count, generate }) (an object)',
    fallbackHint: "see ddbm's docs/seeding.md for the format of a seed",
  })
  return texts.map((text) => ({ file, ...text }))
}
