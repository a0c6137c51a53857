import { defineSeed } from 'ddbm'
import { CANDIDATE_STATUSES, PROGRAMS, SEEDED_ENVS } from './catalog.js'

/**
 * Engagement candidates: a customer, a program (one of ProgramConfig's) and a subject in a marketplace.
 * PK CUST#<customerId>, SK PROG#<programId>#SUBJ#<subjectId>#MKT#<marketplace>; four candidates per
 * customer, the subject id carries the index so every key is unique. Only PENDING candidates carry
 * `activeFlag`, which puts them in the sparse ActiveCandidatesIndex. `expiresAt` (TTL) is 30 days after
 * the day of the run.
 */
export default defineSeed({
  table: 'Candidates',
  count: { default: 500, staging: 50_000 },
  environments: SEEDED_ENVS,
  dependsOn: ['ProgramConfig'],
  summarizeBy: 'status',
  generate: ({ faker, i, ref, expiresIn }) => {
    const program = ref('ProgramConfig', faker.number.int({ max: 1_000_000 }))
    const customerId = String(100_000 + Math.floor(i / 4))
    const subjectType = PROGRAMS.find((p) => p.id === program.programId)?.subjectType ?? 'product'
    const subjectId = `${subjectType}-${String(i).padStart(6, '0')}`
    const status = faker.helpers.weightedArrayElement([...CANDIDATE_STATUSES])
    const createdAt = faker.date.recent({ days: 30 })
    return {
      PK: `CUST#${customerId}`,
      SK: `PROG#${String(program.programId)}#SUBJ#${subjectId}#MKT#${String(program.marketplace)}`,
      customerId,
      programId: program.programId,
      subjectId,
      subjectType,
      marketplace: program.marketplace,
      score: faker.number.float({ min: 0, max: 100, fractionDigits: 1 }),
      status,
      ...(status === 'PENDING' ? { activeFlag: 'Y' } : {}),
      createdAt: createdAt.toISOString(),
      updatedAt: faker.date.between({ from: createdAt, to: faker.defaultRefDate() }).toISOString(),
      expiresAt: expiresIn(30),
      metadata: {
        source: 'order-history',
        orderId: faker.string.numeric(10),
        purchasedAt: faker.date.recent({ days: 60, refDate: createdAt }).toISOString(),
      },
    }
  },
})
