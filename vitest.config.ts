import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'scripts/**/*.test.ts', 'supabase/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/global-db.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.stratos/vitest-report.json' },
  },
});
