/**
 * What a seed run uses besides its plan: tsx (seeds/), faker (generation) and the AWS SDK's commands,
 * imported when a run starts rather than with ddbm, so that `import { defineSeed } from 'ddbm'` (every
 * seed does it) stays cheap.
 */
export async function seedRuntime() {
  const [util, counts, live, load, clear, write, generate, check, job] = await Promise.all([
    import('@aws-sdk/util-dynamodb'),
    import('../engine/live/read-counts.js'),
    import('../engine/live/read-live-table.js'),
    import('../engine/seed/load-seeds.js'),
    import('../engine/write/clear-table.js'),
    import('../engine/write/write-items.js'),
    import('../seed/generate.js'),
    import('../seed/check-seeds.js'),
    import('../seed/job-items.js'),
  ])
  return {
    marshall: util.marshall,
    countByAttribute: counts.countByAttribute,
    countItems: counts.countItems,
    waitForCount: counts.waitForCount,
    readLiveTable: live.readLiveTable,
    loadSeeds: load.loadSeeds,
    clearTable: clear.clearTable,
    writeItems: write.writeItems,
    appliesTo: generate.appliesTo,
    countFor: generate.countFor,
    checkSeeds: check.checkSeeds,
    seedRanges: job.seedRanges,
    tableItems: job.tableItems,
  }
}
export type SeedRuntime = Awaited<ReturnType<typeof seedRuntime>>
