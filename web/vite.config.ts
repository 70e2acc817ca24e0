import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// In development, `npm run dev` proxies /api to the Go server (ROSTER_API, default :8080).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': process.env.ROSTER_API ?? 'http://localhost:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    // Times are shown in the browser's zone: the tests read them in UTC wherever they run.
    env: { TZ: 'UTC' },
    // Room for several waits of src/test/setup.ts's limit, on a loaded 2-core machine.
    testTimeout: 20_000,
  },
});
