import { hostname, userInfo } from 'node:os'
import { dynamoMetaStore } from '../engine/meta/dynamo-meta-store.js'
import type { AcquireLockOptions, MetaStore } from '../engine/meta/meta-store.js'
import type { Session } from './session.js'

/** The option of every migrate command that replaces where run records and the lock live. */
export type MetaStoreOption = {
  /**
   * The run records and the lock; default: the environment's meta table in DynamoDB. Tests and scripts
   * inject their own (an in-memory store from `memoryMetaStore()`, or a wrapper around the default one
   * made with `dynamoMetaStore()`).
   */
  metaStore?: MetaStore
}

/** The meta store of a command: the injected one, else the environment's meta table. */
export function metaStoreOf(session: Session, opts: MetaStoreOption): MetaStore {
  return opts.metaStore ?? dynamoMetaStore({ client: session.client, table: session.env.metaTable })
}

/** Who takes the lock ("<appliedBy> pid N"), with the environment's lease and the wait allowed. */
export function lockOf(
  session: Session,
  processEnv: Record<string, string | undefined>,
  lockTimeoutMs: number | undefined,
): Omit<AcquireLockOptions, 'emit'> {
  return {
    holder: `${appliedBy(processEnv)} pid ${process.pid}`,
    leaseMs: session.env.lock.leaseMs,
    ...(lockTimeoutMs === undefined ? {} : { waitTimeoutMs: lockTimeoutMs }),
  }
}

/** "user@host", or the CI job when the environment names one (GitHub Actions, GitLab, generic). */
export function appliedBy(env: Record<string, string | undefined>): string {
  if (env.DDBM_APPLIED_BY) return env.DDBM_APPLIED_BY
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_RUN_ID) {
    return `github:${env.GITHUB_REPOSITORY ?? '?'}#${env.GITHUB_RUN_ID} (${env.GITHUB_ACTOR ?? '?'})`
  }
  if (env.GITLAB_CI === 'true' && env.CI_JOB_ID) {
    return `gitlab:${env.CI_PROJECT_PATH ?? '?'}#${env.CI_JOB_ID} (${env.GITLAB_USER_LOGIN ?? '?'})`
  }
  if (env.CI === 'true' && (env.BUILD_TAG || env.CI_JOB_NAME)) {
    return `ci:${env.BUILD_TAG ?? env.CI_JOB_NAME}`
  }
  let user = 'unknown'
  try {
    user = userInfo().username
  } catch {
    // no passwd entry (some containers)
  }
  return `${user}@${hostname()}`
}
