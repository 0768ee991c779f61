import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration files each start their own redis-server and emulators on spare ports.
    fileParallelism: true,
    pool: 'forks',
  },
});
