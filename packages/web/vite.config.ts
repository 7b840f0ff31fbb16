// Static build served by the platform at "/"; relative asset paths ('./') so the same dist also
// works from a sub-path. `npm run dev` proxies the API (REST + WebSocket) to NEVHUB_API.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.NEVHUB_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // MapLibre alone is ~1 MB minified: keep it in its own long-cached chunk, apart from the
    // app code that changes with every release.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/, priority: 2 },
            { name: 'vendor', test: /node_modules/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true, ws: true },
    },
  },
});
