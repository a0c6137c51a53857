/**
 * What `ddbm init` writes: the file texts of a new project. `$schema` references point into the installed
 * package (`node_modules/ddbm/schema/`, relative to each file), where editors find them once ddbm is a
 * dev dependency; without it they are simply not found, and nothing else reads them.
 */

/** The logical name of the example table. */
export const EXAMPLE_TABLE = 'Tasks'

/** The lines `ddbm init` makes sure `.gitignore` has: the embedded engine's state, log and data. */
export const GITIGNORE_ENTRIES: readonly string[] = ['.ddbm/']

/** The comment written above the entries when init adds them. */
export const GITIGNORE_COMMENT = '# ddbm: embedded DynamoDB Local state, log and data'

/** The scripts `ddbm init` suggests for package.json, by name. */
export const PACKAGE_SCRIPTS: Readonly<Record<string, string>> = {
  'db:migrate': 'ddbm migrate up',
  'db:seed': 'ddbm seed',
  'db:reset': 'ddbm db reset',
}

/** The command that adds ddbm to a project's dev dependencies. */
export const INSTALL_COMMAND = 'npm install -D ddbm'

/** What to run after `ddbm init`, in order. */
export const NEXT_COMMANDS: readonly string[] = [
  'npx ddbm migrate generate init',
  'npx ddbm migrate up',
  'npx ddbm seed',
]

/**
 * ddbm.config.json: `local` (the default) on the embedded DynamoDB Local, `dev` and a protected `prod` on
 * AWS, whose region and credentials come from the standard AWS chain until set here.
 */
export const CONFIG_TEMPLATE = `${JSON.stringify(
  {
    $schema: './node_modules/ddbm/schema/ddbm.config.schema.json',
    version: 1,
    defaultEnv: 'local',
    tableNameTemplate: '{table}-{env}',
    environments: {
      local: {
        endpoint: 'embedded',
        description: 'DynamoDB Local run by ddbm (needs Java 17+); data under .ddbm/',
      },
      dev: {
        description: 'AWS: region and credentials from AWS_REGION / AWS_PROFILE, or set them here',
      },
      prod: {
        protected: true,
        description: 'AWS, protected: destructive commands need `--confirm-env prod`',
      },
    },
  },
  null,
  2,
)}\n`

/**
 * The example table: tasks of projects (PK `PROJECT#<n>`, SK `TASK#<n>`), a GSI by status and due date,
 * and TTL on `expiresAt`; on demand, so it costs nothing while idle.
 */
export const TABLE_TEMPLATE = `{
  "$schema": "../node_modules/ddbm/schema/table.schema.json",
  "TableName": "${EXAMPLE_TABLE}",
  "AttributeDefinitions": [
    { "AttributeName": "PK", "AttributeType": "S" },
    { "AttributeName": "SK", "AttributeType": "S" },
    { "AttributeName": "status", "AttributeType": "S" },
    { "AttributeName": "dueAt", "AttributeType": "S" }
  ],
  "KeySchema": [
    { "AttributeName": "PK", "KeyType": "HASH" },
    { "AttributeName": "SK", "KeyType": "RANGE" }
  ],
  "BillingMode": "PAY_PER_REQUEST",
  "GlobalSecondaryIndexes": [
    {
      "IndexName": "StatusIndex",
      "KeySchema": [
        { "AttributeName": "status", "KeyType": "HASH" },
        { "AttributeName": "dueAt", "KeyType": "RANGE" }
      ],
      "Projection": { "ProjectionType": "ALL" }
    }
  ],
  "TimeToLiveSpecification": { "AttributeName": "expiresAt", "Enabled": true }
}
`

/** The number of items the example seed writes. */
export const EXAMPLE_SEED_COUNT = 50

/** The example seed: items of the example table, for `local` and `dev` only. */
export const SEED_TEMPLATE = `import { defineSeed } from 'ddbm'

/**
 * Example data for ${EXAMPLE_TABLE}: ${EXAMPLE_SEED_COUNT} tasks spread over five projects. Every item is a function of its
 * index and the seed number (\`ddbm seed --seed N\`), so runs are reproducible; use \`faker\` for anything
 * random. \`expiresIn(days)\` gives the epoch seconds TTL expects.
 */
export default defineSeed({
  table: '${EXAMPLE_TABLE}',
  count: { default: ${EXAMPLE_SEED_COUNT} },
  environments: ['local', 'dev'],
  summarizeBy: 'status',
  generate: ({ faker, i, expiresIn }) => ({
    PK: \`PROJECT#\${i % 5}\`,
    SK: \`TASK#\${String(i).padStart(4, '0')}\`,
    title: faker.lorem.sentence({ min: 3, max: 7 }),
    status: faker.helpers.arrayElement(['TODO', 'DOING', 'DONE']),
    dueAt: faker.date.soon({ days: 30 }).toISOString(),
    expiresAt: expiresIn(90),
  }),
})
`

/**
 * Every file init creates, relative to the project root, with its content. `migrations/.gitkeep` keeps the
 * empty folder in git; init leaves it out when migrations/ already holds files.
 */
export const SCAFFOLD: Readonly<Record<string, string>> = {
  'ddbm.config.json': CONFIG_TEMPLATE,
  [`schemas/${EXAMPLE_TABLE}.json`]: TABLE_TEMPLATE,
  'migrations/.gitkeep': '',
  [`seeds/${EXAMPLE_TABLE}.seed.ts`]: SEED_TEMPLATE,
}
