import { expect, test } from 'vitest'
import { appliedBy } from '../../../src/api/migrate-shared.js'

test('names the CI job when the environment says so, else user@host', () => {
  expect(
    appliedBy({
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: '417',
      GITHUB_REPOSITORY: 'acme/ceap',
      GITHUB_ACTOR: 'dana',
    }),
  ).toBe('github:acme/ceap#417 (dana)')
  expect(
    appliedBy({
      GITLAB_CI: 'true',
      CI_JOB_ID: '9',
      CI_PROJECT_PATH: 'acme/ceap',
      GITLAB_USER_LOGIN: 'lee',
    }),
  ).toBe('gitlab:acme/ceap#9 (lee)')
  expect(appliedBy({ CI: 'true', BUILD_TAG: 'jenkins-ceap-12' })).toBe('ci:jenkins-ceap-12')
  expect(appliedBy({ DDBM_APPLIED_BY: 'release-bot', CI: 'true', BUILD_TAG: 'x' })).toBe(
    'release-bot',
  )
  expect(appliedBy({})).toMatch(/^.+@.+$/)
})
