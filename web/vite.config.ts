import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Paths the Seqflow server answers; `vite` (dev mode) forwards them to a server on :3000. */
const API = ['/crm', '/settings/v3', '/automation', '/seqflow', '/submissions', '/forms/'];
const target = process.env.SEQFLOW_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { proxy: Object.fromEntries(API.map((p) => [p, { target, changeOrigin: false }])) },
});
