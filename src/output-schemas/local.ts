import { z } from 'zod'

/** The documents of `init`, the `local` commands and `studio`. */

/** `init` (api/init.ts InitResult). */
export const InitResultDoc = z.strictObject({
  root: z.string().describe('Absolute path of the project root (the folder of the config file)'),
  created: z.array(z.string()).describe('Files written, relative to the root'),
  gitignore: z.strictObject({
    file: z.literal('.gitignore'),
    status: z.enum(['created', 'updated', 'unchanged']),
    added: z.array(z.string()).describe('Lines added (empty when unchanged)'),
  }),
  packageJson: z.strictObject({
    found: z.boolean(),
    suggestions: z
      .strictObject({
        install: z
          .string()
          .nullable()
          .describe('The install command; null when ddbm is already a dependency'),
        scripts: z.record(z.string(), z.string()).describe('Scripts package.json lacks'),
      })
      .nullable()
      .describe('Null without a package.json (run ddbm with npx)'),
  }),
  next: z.array(z.string()).describe('The commands to run next'),
})

export const RunningLocal = z.strictObject({
  running: z.literal(true),
  pid: z.int(),
  port: z.int(),
  endpoint: z.string(),
  storage: z.enum(['disk', 'memory']),
  dataDir: z.string().optional().describe('Absolute; storage disk only'),
  startedAt: z.string(),
  owner: z
    .enum(['user', 'command', 'idle'])
    .describe(
      'user: `ddbm local start`; command: a command that stops it when done; idle: left running by a command, stopped once unused for idleTimeoutMs',
    ),
  idleTimeoutMs: z.int().optional().describe('Owner idle only: stopped after this long unused'),
})

/** `local status` (api/local.ts LocalStatus). */
export const LocalStatusDoc = z.discriminatedUnion('running', [
  z.strictObject({ running: z.literal(false) }),
  RunningLocal,
])

/** `local stop`. */
export const LocalStopDoc = z.strictObject({
  stopped: z.boolean(),
  pid: z.int().optional(),
  port: z.int().optional(),
})

/** `studio` (api/studio.ts StudioStarted): printed once listening; the command then runs until Ctrl-C. */
export const StudioResultDoc = z.strictObject({
  url: z.string().describe('http://127.0.0.1:<port>/?token=<token>: the page to open'),
  port: z.int().min(1),
  env: z.string(),
  allowWrites: z
    .boolean()
    .describe('Whether item writes are allowed: --allow-writes, or the embedded engine'),
})
