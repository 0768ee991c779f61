import { defineConfig } from 'vitest/config';

const common = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // Integration files each start their own redis-server and emulators on spare ports.
  fileParallelism: true,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/topology/**'],
          sequence: { groupOrder: 0 },
        },
      },
      // The topology files start a Redis Cluster or Sentinel set and two worker processes each: they run after the
      // others, on their own, so their load never slows another file's timed waits.
      { test: { ...common, name: 'topology', include: ['test/topology/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
