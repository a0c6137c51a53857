import { inject } from 'vitest'
import { isLoopback } from '../../src/dynamo/client.js'

/** What an engine implements; a check it cannot answer must come out `unsupported`, not skipped. */
export type Engine = {
  name: string
  endpoint: string
  supports: { pitr: boolean; tags: boolean; backups: boolean; sseInDescribe: boolean }
}

/** Refuses any endpoint that is not on loopback: tests never talk to a real account. */
export function assertLoopback(endpoint: string): string {
  if (!isLoopback(endpoint)) throw new Error(`refusing non-loopback test endpoint ${endpoint}`)
  return endpoint
}

/** The engines started by the global setup for this run. */
export function engines(): Engine[] {
  return [
    {
      name: 'dynamodb-local',
      endpoint: assertLoopback(inject('dynamodbLocalEndpoint')),
      supports: { pitr: false, tags: false, backups: false, sseInDescribe: false },
    },
  ]
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbLocalEndpoint: string
  }
}
