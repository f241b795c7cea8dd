import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The backend (platform/govhall) serves the built files; `npm run dev` proxies the API to a local server.
const backend = process.env.GOVHALL_DEV_BACKEND ?? 'http://127.0.0.1:8000';

// Libraries every page needs change rarely: one long-cached chunk. Everything else (Ant Design's components,
// the rules forms' JSON Schema stack, ...) is split by Rollup along the lazily loaded routes, so the login page
// downloads only what it shows (tests/system/test_bundle.py holds it under 250 KB gzip).
const CORE = ['/node_modules/react/', '/node_modules/react-dom/', '/node_modules/scheduler/', '/node_modules/react-router',
  '/node_modules/@remix-run/router/', '/node_modules/@tanstack/'];

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../platform/govhall/static/web',
    emptyOutDir: true,
    manifest: true, // .vite/manifest.json: which files each route loads (the bundle-size test reads it)
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (CORE.some((p) => id.includes(p))) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/readyz': backend,
      '/healthz': backend,
    },
  },
});
