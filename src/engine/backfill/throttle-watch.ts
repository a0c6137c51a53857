// Stand-in until the pacing branch lands.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
export function watchThrottles(
  _client: DynamoDBClient,
  _onThrottle: (kind: 'read' | 'write', err: { name: string }) => void,
): () => void {
  return () => {}
}
