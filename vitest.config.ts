import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration files each start servers and databases.
    maxWorkers: 2,
    reporters: ['default'],
    env: {
      // Every process a test starts (in-process servers and spawned workers) shares one database,
      // so they share the key its secrets are sealed with, as production processes must.
      SEQFLOW_SECRET_KEY: 'c2VxZmxvdy10ZXN0LWtleS1ub3QtYS1zZWNyZXQtISE',
    },
  },
});
