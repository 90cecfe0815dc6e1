import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // One throwaway PostgreSQL server per run for the tests that use helpers/postgres.ts.
    globalSetup: ['test/helpers/postgres-global-setup.ts'],
  },
});
