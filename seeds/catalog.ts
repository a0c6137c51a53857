// Reference data shared by the seeds of this folder. Only `*.seed.ts` files and `*.json` fixtures are
// seeds; a helper module like this one is imported by them and otherwise ignored.

/** Environments that get generated data: never prod. */
export const SEEDED_ENVS = ['local', 'dev', 'staging']

/** Engagement programs (ProgramConfig), each run in every marketplace below. */
export const PROGRAMS = [
  { id: 'reviews', name: 'Product Reviews', subjectType: 'product' },
  { id: 'ratings', name: 'Star Ratings', subjectType: 'product' },
  { id: 'video-reviews', name: 'Video Reviews', subjectType: 'video' },
  { id: 'seller-feedback', name: 'Seller Feedback', subjectType: 'seller' },
  { id: 'surveys', name: 'Customer Surveys', subjectType: 'order' },
] as const

export const MARKETPLACES = ['US', 'UK'] as const

/** Scoring models (ProgramConfig's scoringModels, ScoreCache's MODEL# keys). */
export const MODELS = ['propensity-v2', 'quality-v1', 'recency-v3'] as const

/** Delivery channels of engagement events. */
export const CHANNELS = ['email', 'sms', 'push'] as const

/** Candidate lifecycle, with how often each status is generated. */
export const CANDIDATE_STATUSES = [
  { value: 'PENDING', weight: 40 },
  { value: 'SENT', weight: 30 },
  { value: 'ENGAGED', weight: 20 },
  { value: 'EXPIRED', weight: 10 },
] as const

/** Engagement events, in the order they happen to a candidate. */
export const EVENT_TYPES = ['SENT', 'OPENED', 'CLICKED', 'RESPONDED'] as const
