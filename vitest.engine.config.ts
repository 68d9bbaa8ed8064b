// The tests that restart the Docker engine (stopping every container on it): run alone, after the
// main run (`npm test`), never beside another Docker test. vitest.config.ts leaves them out.
import {defineConfig} from 'vitest/config'
import {ENGINE_TESTS} from './vitest.config.js'

export default defineConfig({
  test: {
    environment: 'node',
    include: ENGINE_TESTS,
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
  },
})
