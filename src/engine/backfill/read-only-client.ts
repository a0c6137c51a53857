import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DdbmError } from '../../errors.js'

const NAME = 'ddbmDryRunReadOnly'

/** Commands a dry run may send: they only read. PartiQL is refused (a statement may write). */
const READ_ONLY = /^(GetItem|BatchGetItem|TransactGetItems|Query|Scan|Describe\w*|List\w*)Command$/

/** Whether the command named `commandName` (`ScanCommand`) only reads. */
export function isReadOnlyCommand(commandName: string): boolean {
  return READ_ONLY.test(commandName)
}

/**
 * Makes `client` refuse every command that is not read-only (Get, BatchGet, Query, Scan, Describe*,
 * List*) with DdbmError MIGRATION_FAILED (`details.dryRun: true`), before it is signed or sent, until the
 * returned function is called: a dry run then cannot change anything, even when a migration sends SDK
 * commands through `ctx.client` itself. `migration` names the migration for the message.
 */
export function refuseWrites(client: DynamoDBClient, migration: () => string): () => void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const command = String(context.commandName)
      if (!isReadOnlyCommand(command)) throw refused(command, migration())
      return next(args)
    },
    { step: 'initialize', name: NAME, priority: 'high' },
  )
  return () => void client.middlewareStack.remove(NAME)
}

function refused(command: string, migration: string): DdbmError {
  return new DdbmError(
    'MIGRATION_FAILED',
    `Dry run: ${migration} sent ${command} through ctx.client; a dry run only reads, so it was refused (nothing was changed)`,
    { name: migration, direction: 'up', command, dryRun: true },
    {
      hint: 'Write through the helpers of ctx (put, update, delete, putItems, deleteItems, backfill): on a dry run they show what they would do. Run without --dry-run to apply.',
    },
  )
}
