import { ddbmGlobalSetup } from './jest.js'

/**
 * Zero-config Jest globalSetup, `globalSetup: 'ddbm/jest/global-setup'`: an in-memory DynamoDB Local, the
 * project of Jest's rootDir in its default environment, reset once for the run.
 */
export default ddbmGlobalSetup()
