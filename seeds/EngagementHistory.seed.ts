import { defineSeed } from 'ddbm'
import { CHANNELS, EVENT_TYPES, SEEDED_ENVS } from './catalog.js'

/**
 * Engagement events of seeded candidates (read with ref): PK CUST#<customerId> of the candidate,
 * SK EVENT#<epoch milliseconds>#<eventType>. The event happens between the candidate's creation and the
 * reference date; a candidate that was only sent gets SENT events, an engaged one also opens, clicks and
 * responses. `expiresAt` (TTL) is 90 days after the day of the run.
 */
export default defineSeed({
  table: 'EngagementHistory',
  count: { default: 1000, staging: 100_000 },
  environments: SEEDED_ENVS,
  dependsOn: ['Candidates'],
  summarizeBy: 'eventType',
  generate: ({ faker, ref, expiresIn }) => {
    const candidate = ref('Candidates', faker.number.int({ max: 10_000_000 }))
    const engaged = candidate.status === 'ENGAGED'
    const eventType = engaged ? faker.helpers.arrayElement(EVENT_TYPES) : 'SENT'
    const at = faker.date.between({
      from: String(candidate.createdAt),
      to: faker.defaultRefDate(),
    })
    return {
      PK: candidate.PK,
      SK: `EVENT#${at.getTime()}#${eventType}`,
      customerId: candidate.customerId,
      programId: candidate.programId,
      subjectId: candidate.subjectId,
      eventType,
      eventTimestamp: at.toISOString(),
      channel: faker.helpers.arrayElement(CHANNELS),
      metadata: { campaign: `${String(candidate.programId)}-${at.toISOString().slice(0, 7)}` },
      expiresAt: expiresIn(90),
    }
  },
})
