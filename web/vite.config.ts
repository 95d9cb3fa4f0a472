import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the BFF runs on its own port and Vite proxies /api to it, so the browser still sees
// one origin (the session cookie is SameSite=Strict and host-only).
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source'] },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.BFF_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  // Maps are built for debugging a release, but not referenced from the scripts ('hidden'): the console
  // serves them only with SERVE_SOURCE_MAPS=true (docs/operations.md).
  build: { outDir: 'dist', sourcemap: 'hidden' },
});
