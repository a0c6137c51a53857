import { defineSeed } from 'ddbm'
import { MODELS, SEEDED_ENVS } from './catalog.js'

/**
 * Cached model scores of seeded candidates: item i scores candidate i (so keep this count at most the
 * Candidates count, or keys repeat), PK CUSTOMER#<customerId>#SUBJECT#<subjectId>, SK MODEL#<modelId>.
 * `score` is a map of value, confidence and when it was computed; `ttl` expires the entry one to seven
 * days after the day of the run.
 */
export default defineSeed({
  table: 'ScoreCache',
  count: { default: 200, staging: 20_000 },
  environments: SEEDED_ENVS,
  dependsOn: ['Candidates'],
  summarizeBy: 'modelId',
  generate: ({ faker, i, ref, expiresIn }) => {
    const candidate = ref('Candidates', i)
    const modelId = faker.helpers.arrayElement(MODELS)
    return {
      PK: `CUSTOMER#${String(candidate.customerId)}#SUBJECT#${String(candidate.subjectId)}`,
      SK: `MODEL#${modelId}`,
      customerId: candidate.customerId,
      subjectId: candidate.subjectId,
      modelId,
      score: {
        value: faker.number.float({ min: 0, max: 100, fractionDigits: 2 }),
        confidence: faker.number.float({ min: 0.5, max: 1, fractionDigits: 3 }),
        timestamp: faker.date.recent({ days: 2 }).toISOString(),
      },
      ttl: expiresIn(faker.number.int({ min: 1, max: 7 })),
    }
  },
})
