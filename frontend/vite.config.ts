import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Where the backend listens in development and for `vite preview` (npm start). */
const backend = process.env.DXOC_BACKEND_URL ?? 'http://127.0.0.1:3000';
const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/socket.io': { target: backend, ws: true, changeOrigin: false },
};

/**
 * The web app's security headers, as nginx sends them in production (security-headers.json is the one source; the
 * infra tests hold nginx to it). Only for `vite preview`: the dev server injects inline scripts (React refresh).
 * vite preview sets them on the app's files only: proxied /api and /socket.io answers carry the backend's own.
 */
const securityHeaders = JSON.parse(readFileSync(new URL('./security-headers.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const headers = Object.fromEntries(
  Object.entries(securityHeaders)
    .filter(([name]) => !name.startsWith('$'))
    .map(([name, value]) => [name, Array.isArray(value) ? value.join('; ') : String(value)]),
);

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true, proxy, headers },
  build: {
    target: 'es2022',
    sourcemap: false,
    // scripts/size.mjs reads it to report what each route loads
    manifest: true,
    // the province GeoJSON is emitted as a hashed asset, never inlined
    assetsInlineLimit: 4096,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // the chunk both routes share (React excepted) would be named after one of its modules: call it what it is;
        // echarts: the charts' code, which the wall loads after its first paint (charts/load-echarts.ts)
        chunkFileNames: (chunk) =>
          /^(WallApp|ConsoleApp|echarts)$/.test(chunk.name) ? 'assets/[name]-[hash].js' : 'assets/shared-[hash].js',
      },
    },
  },
});
