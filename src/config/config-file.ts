import { z } from 'zod'
import { DURATION } from './duration.js'

/** Default physical table-name template: `Candidates` in `dev` → `Candidates-dev`. */
export const DEFAULT_TABLE_NAME_TEMPLATE = '{table}-{env}'
/** Default logical name of the meta table (run state and lock); physical name via the template. */
export const DEFAULT_META_TABLE = 'ddbm_migrations'
/** The endpoint value that means "the embedded DynamoDB Local that ddbm runs itself". */
export const EMBEDDED = 'embedded'

const Template = z
  .string()
  .refine((t) => t.includes('{table}'), { message: 'must contain "{table}"' })
  .refine((t) => !/\{(?!table\}|env\})[^}]*\}/.test(t), {
    message: 'only the placeholders "{table}" and "{env}" are known',
  })

const Endpoint = z.union([z.literal(EMBEDDED), z.url({ protocol: /^https?$/ })], {
  error: 'must be "embedded" or an http(s) URL such as http://127.0.0.1:8000',
})

/** One environment of ddbm.config.json. Unset fields come from the standard AWS chain or flags. */
export const Environment = z.strictObject({
  region: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  endpoint: Endpoint.optional(),
  /** Destructive steps need the environment's name as confirmation (docs/protected-environments.md). */
  protected: z.boolean().default(false),
  /**
   * `before-destructive`: an on-demand backup before each confirmed table or GSI deletion, where the
   * endpoint supports backups. Default: `before-destructive` on a protected environment, else `off`.
   */
  backups: z.enum(['before-destructive', 'off']).optional(),
  tableNameTemplate: Template.optional(),
  description: z.string().optional(),
})
export type Environment = z.infer<typeof Environment>

const IDLE_TIMEOUT =
  'must be a duration such as "30s", "10m" or "1h", or 0 (stop when the command ends)'

/** Settings of the embedded DynamoDB Local (environments whose endpoint is "embedded"). */
export const LocalSettings = z.strictObject({
  port: z.int().min(0).max(65535).default(0),
  storage: z.enum(['disk', 'memory']).default('disk'),
  javaOptions: z.array(z.string()).default(['-Xmx1g']),
  /**
   * How long an engine a command started stays up once no command uses it, so that the next command
   * does not wait for Java to start: `30s`, `10m`, `1h`, or 0 to stop it when the command ends. Always 0
   * under CI=true (docs/config.md).
   */
  idleTimeout: z
    .union([z.literal(0), z.string().regex(DURATION, { error: IDLE_TIMEOUT })], {
      error: IDLE_TIMEOUT,
    })
    .default('10m'),
})
export type LocalSettings = z.infer<typeof LocalSettings>

/** The migration lock (see `ddbm migrate up`). */
export const LockSettings = z.strictObject({
  /** A run that stops renewing the lock (killed, frozen) loses it after this long. */
  leaseMs: z.int().min(500).max(600_000).default(20_000),
})
export type LockSettings = z.infer<typeof LockSettings>

/**
 * ddbm.config.json, format version 1. Environment names are 1-32 chars of [a-z0-9_-] so they fit table names.
 */
export const ConfigFile = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  defaultEnv: z.string().default('local'),
  tableNameTemplate: Template.default(DEFAULT_TABLE_NAME_TEMPLATE),
  metaTable: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,200}$/)
    .default(DEFAULT_META_TABLE),
  schemasDir: z.string().default('schemas'),
  migrationsDir: z.string().default('migrations'),
  seedsDir: z.string().default('seeds'),
  local: LocalSettings.default(LocalSettings.parse({})),
  lock: LockSettings.default(LockSettings.parse({})),
  environments: z
    .record(
      z.string().regex(/^[a-z0-9_-]{1,32}$/, 'environment names are 1-32 chars of [a-z0-9_-]'),
      Environment,
    )
    .refine((envs) => Object.keys(envs).length > 0, { message: 'name at least one environment' }),
})
export type ConfigFile = z.infer<typeof ConfigFile>

/** JSON Schema of ddbm.config.json, for editors (`"$schema"`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigFile, { io: 'input' }) as Record<string, unknown>
}
