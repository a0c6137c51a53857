/** Error classification by the SDK's `name`, never by message text where a name exists. */
function named(err: unknown, ...names: string[]): boolean {
  return err instanceof Error && names.includes(err.name)
}

/** The table or index exists already, or is busy (CREATING/UPDATING/DELETING). */
export const isResourceInUse = (err: unknown): boolean => named(err, 'ResourceInUseException')
/** The table does not exist (or is too early in CREATING). */
export const isResourceNotFound = (err: unknown): boolean => named(err, 'ResourceNotFoundException')
/** The endpoint does not implement the operation (DynamoDB Local: PITR, backups). */
export const isUnknownOperation = (err: unknown): boolean => named(err, 'UnknownOperationException')
/** A connection-level failure: nothing listens at the endpoint, or the socket was cut. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)
  )
}
