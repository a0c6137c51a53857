// Apart from execute.ts, which loads the AWS SDK's commands: api/reset.ts states it without loading them.
/**
 * Tables worked on at once by default. DynamoDB allows 500 control-plane operations in flight per account
 * and 250 while creating tables with indexes (docs/dynamodb-rules.md), shared with everything else in the
 * account: 25 leaves room for other users, is more tables than a migration usually touches, and a
 * LimitExceededException is waited out anyway (step-context.ts `mutate`).
 */
export const DEFAULT_TABLE_CONCURRENCY = 25
