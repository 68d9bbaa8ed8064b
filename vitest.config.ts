import {configDefaults, defineConfig} from 'vitest/config'

/**
 * Tests that restart the Docker engine: every other Docker test running at that moment would break, so
 * the main run leaves them out and vitest.engine.config.ts runs them afterwards, alone.
 */
export const ENGINE_TESTS = ['test/e2e/docker-engine-restart.e2e.test.ts']

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...ENGINE_TESTS],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    disableConsoleIntercept: true,
  },
})
