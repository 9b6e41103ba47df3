/**
 * Vite build for the Mantissa Log web UI.
 *
 * The Worker serves `pages/dist` as static assets with single-page-application fallback, so every route
 * (`/query`, `/identity/alice@acme.test`, …) loads `index.html` and the client router takes over.
 * During UI development `vite` proxies `/api` and `/ingest` to a local `wrangler dev` on port 8787, which
 * keeps calls same-origin exactly as in production.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const pagesRoot = fileURLToPath(new URL('.', import.meta.url));
const localWorker = 'http://127.0.0.1:8787';

export default defineConfig({
  root: pagesRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': localWorker,
      '/ingest': localWorker,
    },
  },
});
