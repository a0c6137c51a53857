import { defineSeed } from 'ddbm'
import { SEEDED_ENVS } from './catalog.js'

/**
 * Generated catalogue items, written after the five fixed items of items.json (random UUIDs, so they
 * never take those ids). `createdAt` and `updatedAt` are epoch seconds (status-index sorts by
 * createdAt); one item in ten is temporary and carries a `ttl` a week to a month after the day of the run.
 */
export default defineSeed({
  table: 'items',
  count: { default: 50, staging: 5_000 },
  environments: SEEDED_ENVS,
  summarizeBy: 'status',
  generate: ({ faker, expiresIn }) => {
    const created = faker.date.past({ years: 1 })
    const updated = faker.date.between({ from: created, to: faker.defaultRefDate() })
    const temporary = faker.datatype.boolean({ probability: 0.1 })
    return {
      id: faker.string.uuid(),
      name: faker.commerce.productName(),
      ...(faker.datatype.boolean({ probability: 0.7 })
        ? { description: faker.commerce.productDescription() }
        : {}),
      status: faker.helpers.weightedArrayElement([
        { value: 'active', weight: 6 },
        { value: 'inactive', weight: 3 },
        { value: 'archived', weight: 1 },
      ]),
      createdAt: Math.floor(created.getTime() / 1000),
      updatedAt: Math.floor(updated.getTime() / 1000),
      createdBy: faker.internet.email({ provider: 'example.com' }).toLowerCase(),
      version: faker.number.int({ min: 1, max: 5 }),
      ...(temporary ? { ttl: expiresIn(faker.number.int({ min: 7, max: 30 })) } : {}),
    }
  },
})
