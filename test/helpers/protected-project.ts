import { ACCOUNTS, LEGACY } from '../fixtures/tables.js'

/** The destructive migrations of the protected project, each `0002_<kind>` in its own `m-<kind>/`. */
export const DESTRUCTIVE_KINDS = ['drop-table', 'drop-gsi', 'pitr-off', 'unprotect', 'all'] as const
export type DestructiveKind = (typeof DESTRUCTIVE_KINDS)[number]

const BY_EMAIL = ACCOUNTS.GlobalSecondaryIndexes?.[0]
const EMAIL = [{ AttributeName: 'email', AttributeType: 'S' }]

const STEPS: Record<Exclude<DestructiveKind, 'all'>, { up: unknown[]; down: unknown[] }> = {
  'drop-table': {
    up: [{ op: 'deleteTable', table: 'Legacy' }],
    down: [{ op: 'createTable', table: 'Legacy', definition: LEGACY }],
  },
  'drop-gsi': {
    up: [{ op: 'deleteGsi', table: 'Accounts', indexName: 'byEmail' }],
    down: [{ op: 'createGsi', table: 'Accounts', index: BY_EMAIL, attributeDefinitions: EMAIL }],
  },
  'pitr-off': {
    up: [{ op: 'updatePitr', table: 'Accounts', pitr: { PointInTimeRecoveryEnabled: false } }],
    down: [{ op: 'updatePitr', table: 'Accounts', pitr: { PointInTimeRecoveryEnabled: true } }],
  },
  unprotect: {
    up: [{ op: 'updateDeletionProtection', table: 'Accounts', enabled: false }],
    down: [{ op: 'updateDeletionProtection', table: 'Accounts', enabled: true }],
  },
}

const TABLES = {
  version: 1,
  up: [
    { op: 'createTable', table: 'Accounts', definition: ACCOUNTS },
    { op: 'createTable', table: 'Legacy', definition: LEGACY },
  ],
  down: [
    { op: 'deleteTable', table: 'Legacy' },
    { op: 'deleteTable', table: 'Accounts' },
  ],
}

/**
 * The files of a project with three environments over two sets of tables, all ending in `suffix`:
 * `prod` (protected in the config) and `dev` (not protected) share the tables `<T>-p<suffix>`, so `dev`
 * points at prod's tables; `staging` (not protected in the config) has `<T>-s<suffix>`.
 * `ddbm.config.json` reads `migrations/` (0001_tables: Accounts with GSI byEmail, Legacy); `<kind>.config.json`
 * reads `m-<kind>/`: the same 0001 plus a destructive `0002_<kind>` (`all`: every destructive step, in
 * the order deleteGsi, PITR off, deletion protection off, deleteTable). `seeds/Accounts.json` holds 3 items.
 */
export function protectedProjectFiles(suffix: string): Record<string, unknown> {
  const environments = {
    prod: { protected: true, tableNameTemplate: `{table}-p${suffix}` },
    dev: { tableNameTemplate: `{table}-p${suffix}` },
    staging: { tableNameTemplate: `{table}-s${suffix}` },
  }
  const config = (migrationsDir: string) => ({
    version: 1,
    defaultEnv: 'dev',
    migrationsDir,
    environments,
  })
  const files: Record<string, unknown> = {
    'ddbm.config.json': config('migrations'),
    'migrations/0001_tables.json': TABLES,
    'schemas/Accounts.json': ACCOUNTS,
    'schemas/Legacy.json': LEGACY,
    'seeds/Accounts.json': {
      version: 1,
      table: 'Accounts',
      items: [0, 1, 2].map((i) => ({ id: `A${i}`, email: `a${i}@example.com` })),
    },
  }
  for (const kind of DESTRUCTIVE_KINDS) {
    const steps =
      kind === 'all'
        ? (['drop-gsi', 'pitr-off', 'unprotect', 'drop-table'] as const).map((k) => STEPS[k])
        : [STEPS[kind]]
    files[`${kind}.config.json`] = config(`m-${kind}`)
    files[`m-${kind}/0001_tables.json`] = TABLES
    files[`m-${kind}/0002_${kind.replace('-', '_')}.json`] = {
      version: 1,
      up: steps.flatMap((s) => s.up),
      down: steps.flatMap((s) => s.down).reverse(),
    }
  }
  return files
}
