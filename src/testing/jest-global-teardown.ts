import { ddbmGlobalTeardown } from './jest.js'

/** Zero-config Jest globalTeardown, `globalTeardown: 'ddbm/jest/global-teardown'`: stops the engine. */
export default ddbmGlobalTeardown()
