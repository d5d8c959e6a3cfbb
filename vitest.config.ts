import { defineConfig } from 'vitest/config';
import { KERNEL_TAG } from './vitest.shared';

export default defineConfig({
  test: {
    // Every package has a vitest.config.ts; folders without one (tools/systemd, tools/bench) are not projects.
    projects: [
      'libs/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      'tools/*/vitest.config.ts',
    ],
    tags: [KERNEL_TAG],
    globalSetup: ['./vitest.global-setup.ts'],
    // Kernel tests share global resources (mounts, cgroups, iptables); two cores.
    maxWorkers: 2,
  },
});
