import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The backend (platform/govhall) serves the built files; `npm run dev` proxies the API to a local server.
const backend = process.env.GOVHALL_DEV_BACKEND ?? 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../platform/govhall/static/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // app code changes often, libraries rarely: keep them in separate files for caching
        manualChunks(id: string) {
          return id.includes('node_modules') ? 'vendor' : undefined;
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
