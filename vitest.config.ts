import { defineConfig } from 'vitest/config';
import { aliases } from './vite.config.ts';

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // Integration files each make their own database; two workers match the machine's two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'server', include: ['src/**/*.test.ts', 'simulator/**/*.test.ts', 'bench/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        // A loaded CI machine renders slower than a laptop: polls wait up to 15 s (they return as soon as they pass).
        test: { name: 'e2e', include: ['e2e/**/*.test.ts'], environment: 'node', testTimeout: 90_000, expect: { poll: { timeout: 15_000 } } },
      },
    ],
  },
});
