import { defineSeed } from 'ddbm'
import { CHANNELS, MARKETPLACES, MODELS, PROGRAMS, SEEDED_ENVS } from './catalog.js'

/**
 * One configuration per program and marketplace (PK PROGRAM#<programId>, SK MARKETPLACE#<marketplace>):
 * five programs in two marketplaces. Connectors, models and channels are stored as JSON text.
 */
export default defineSeed({
  table: 'ProgramConfig',
  count: PROGRAMS.length * MARKETPLACES.length,
  environments: SEEDED_ENVS,
  summarizeBy: 'marketplace',
  generate: ({ faker, i }) => {
    const program = PROGRAMS[Math.floor(i / MARKETPLACES.length) % PROGRAMS.length]!
    const marketplace = MARKETPLACES[i % MARKETPLACES.length]!
    const createdAt = faker.date.past({ years: 1 })
    return {
      PK: `PROGRAM#${program.id}`,
      SK: `MARKETPLACE#${marketplace}`,
      programId: program.id,
      programName: program.name,
      marketplace,
      enabled: faker.datatype.boolean({ probability: 0.8 }),
      dataConnectors: JSON.stringify([
        { connectorId: 'order-history', type: 'athena', lookbackDays: 90 },
      ]),
      scoringModels: JSON.stringify(
        faker.helpers.arrayElements(MODELS, { min: 1, max: 2 }).map((modelId) => ({ modelId })),
      ),
      channels: JSON.stringify(
        faker.helpers.arrayElements(CHANNELS, { min: 1, max: 3 }).map((channelId) => ({
          channelId,
          enabled: true,
        })),
      ),
      candidateTTLDays: 30,
      createdAt: createdAt.toISOString(),
      updatedAt: faker.date.between({ from: createdAt, to: faker.defaultRefDate() }).toISOString(),
    }
  },
})
