import type { MigrationContext } from 'ddbm'

/**
 * Backfill for ActiveCandidatesIndex (a sparse index): PENDING candidates get `activeFlag = "Y"`, so they
 * appear in the index; the others stay out of it. Converges: re-running sets the same value, and an item
 * deleted or no longer PENDING since the scan read it is left alone (the condition is checked on write).
 */
export async function up(ctx: MigrationContext): Promise<void> {
  const pending = { names: { '#s': 'status' }, values: { ':pending': 'PENDING' } }
  let n = 0
  for await (const item of ctx.scan('Candidates', { filter: '#s = :pending', ...pending })) {
    const { updated } = await ctx.update(
      'Candidates',
      { PK: item.PK, SK: item.SK },
      {
        set: { activeFlag: 'Y' },
        condition: '#s = :pending',
        ...pending,
        ifConditionFails: 'skip',
      },
    )
    if (updated) n++
  }
  ctx.log(`activeFlag set on ${n} pending candidate(s)`)
}

/** Removes the flag again, which empties the index. */
export async function down(ctx: MigrationContext): Promise<void> {
  for await (const item of ctx.scan('Candidates', { filter: 'attribute_exists(activeFlag)' })) {
    await ctx.update(
      'Candidates',
      { PK: item.PK, SK: item.SK },
      { remove: ['activeFlag'], condition: 'attribute_exists(PK)', ifConditionFails: 'skip' },
    )
  }
}
