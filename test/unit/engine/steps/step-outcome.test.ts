import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { withBackup } from '../../../../src/engine/steps/backup.js'
import {
  combine,
  waitOptions,
  type StepContext,
} from '../../../../src/engine/steps/step-context.js'
import type { Event } from '../../../../src/events.js'

describe('combine: a step is labelled by what it did, and what the endpoint lacks is listed apart', () => {
  test('a table created with TTL, where the endpoint has no PITR or tags: done, with the two listed', () => {
    const parts = [
      { part: 'table', status: 'done', detail: 'created' },
      { part: 'ttl', status: 'done', detail: 'TTL enabled on expiresAt' },
      { part: 'pitr', status: 'unsupported', detail: 'PITR: not implemented' },
      { part: 'tags', status: 'unsupported', detail: 'tags: not implemented' },
    ] as const
    expect(combine([...parts])).toStrictEqual({
      status: 'done',
      parts,
      detail: 'created, TTL enabled on expiresAt',
      unsupported: ['pitr', 'tags'],
    })
  })

  test('a re-run: skipped, already in place, the unsupported parts still listed', () => {
    const parts = [
      { part: 'table', status: 'skipped', detail: 'exists with the same keys' },
      { part: 'pitr', status: 'unsupported', detail: 'PITR: not implemented' },
    ] as const
    expect(combine([...parts])).toStrictEqual({
      status: 'skipped',
      parts,
      detail: 'already in place',
      unsupported: ['pitr'],
    })
  })

  test('only when no part could be done is the step unsupported', () => {
    const parts = [
      { part: 'pitr', status: 'unsupported', detail: 'PITR: not implemented' },
    ] as const
    expect(combine([...parts])).toStrictEqual({
      status: 'unsupported',
      parts,
      detail: 'PITR: not implemented',
    })
  })

  test('a deletion the endpoint could not back up first is done, the backup listed as unsupported', () => {
    const backup = {
      part: 'backup',
      status: 'unsupported',
      detail: 'backup: not implemented',
    } as const
    expect(withBackup({ part: backup }, 'table')).toStrictEqual({
      status: 'done',
      detail: 'deleted',
      parts: [backup, { part: 'table', status: 'done', detail: 'deleted' }],
      unsupported: ['backup'],
    })
  })
})

describe('waitOptions', () => {
  const context = (events: Event[]): StepContext => ({
    client: {} as DynamoDBClient,
    emit: (e) => events.push(e),
    table: 'T-dev',
    op: 'deleteTable',
    sleep: async () => undefined,
    now: () => 0,
    waitTimeoutMs: 1_000,
  })

  test('waiting for a deletion, a table that no longer exists is the end, not "waiting: table does not exist"', () => {
    const events: Event[] = []
    waitOptions(context(events), true).onPoll?.(undefined, 0)
    expect(events).toStrictEqual([])
    waitOptions(context(events), true).onPoll?.({ TableName: 'T-dev', TableStatus: 'DELETING' }, 0)
    expect(events).toStrictEqual([
      {
        kind: 'step',
        table: 'T-dev',
        op: 'deleteTable',
        status: 'waiting',
        detail: 'table DELETING',
      },
    ])
  })

  test('waiting for a table to come up, one that does not exist yet is waited on', () => {
    const events: Event[] = []
    waitOptions({ ...context(events), op: 'createTable' }).onPoll?.(undefined, 0)
    expect(events).toStrictEqual([
      {
        kind: 'step',
        table: 'T-dev',
        op: 'createTable',
        status: 'waiting',
        detail: 'table does not exist',
      },
    ])
  })
})
