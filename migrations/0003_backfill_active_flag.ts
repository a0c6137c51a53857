import type { MigrationContext } from 'ddbm'

const pending = { names: { '#s': 'status' }, values: { ':pending': 'PENDING' } }

/**
 * Backfill for ActiveCandidatesIndex (a sparse index): PENDING candidates get `activeFlag = "Y"`, so they
 * appear in the index; the others stay out of it. A parallel scan in 4 segments, checkpointed in the meta
 * table: a run that dies resumes where it stopped (docs/backfills.md). Converges: a flagged item is
 * skipped, and an item deleted or no longer PENDING since the scan read it is left alone (the condition is
 * checked on write).
 */
export async function up(ctx: MigrationContext): Promise<void> {
  const result = await ctx.backfill({
    table: 'Candidates',
    segments: 4,
    filter: '#s = :pending',
    ...pending,
    transform: (item) =>
      item.activeFlag === 'Y'
        ? 'skip'
        : { update: { set: { activeFlag: 'Y' } }, condition: '#s = :pending', ...pending },
  })
  ctx.log(`activeFlag set on ${result.counts.written} pending candidate(s)`)
}

/** Removes the flag again, which empties the index. */
export async function down(ctx: MigrationContext): Promise<void> {
  await ctx.backfill({
    name: 'remove-flag',
    table: 'Candidates',
    segments: 4,
    filter: 'attribute_exists(activeFlag)',
    transform: () => ({ update: { remove: ['activeFlag'] }, condition: 'attribute_exists(PK)' }),
  })
}
