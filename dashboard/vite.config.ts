import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root (`vite build --config dashboard/vite.config.ts`): the root is this
// folder whatever the working directory is.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the local stack serves the build at `/`, and a hash router needs no rewrites.
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/functions': 'http://127.0.0.1:54321',
    },
  },
});
