import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
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

/**
 * The wall is the page most loaded (/ goes there, a kiosk reloads it): the browser fetches its chunks while it is
 * still fetching React (index.html links them with modulepreload) instead of only once the router has run, a round
 * trip sooner. The console then downloads the wall's own chunk too (23 KB gzip); the wall never the console's.
 */
function preloadWall(): Plugin {
  return {
    name: 'dxoc-preload-wall',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
        const wall = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/wall/WallApp.tsx'));
        const entry = chunks.find((chunk) => chunk.isEntry);
        if (!wall || !entry) return html;
        // the wall's chunk and what it imports statically, less what index.html loads already
        const files = [wall.fileName, ...wall.imports].filter((file) => file !== entry.fileName && !entry.imports.includes(file));
        // …and their style sheets: the wall's code runs only once they have loaded (vite's import helper waits for
        // them), and they were asked for only when the entry had run, ~0.1–0.2 s later than the code (issue 14 goal 6).
        // Preloaded, not applied: the console downloads them (≈5 KB gzip) but does not take the wall's styles.
        const css = [
          ...new Set(
            [wall, ...chunks.filter((chunk) => wall.imports.includes(chunk.fileName))].flatMap((chunk) => [
              ...(chunk.viteMetadata?.importedCss ?? []),
            ]),
          ),
        ].filter((file) => !entry.viteMetadata?.importedCss.has(file));
        return {
          html,
          tags: [
            ...files.map((file) => ({
              tag: 'link',
              attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
              injectTo: 'head' as const,
            })),
            // crossorigin as vite's helper asks for them, so the preloaded answer is the one it takes
            ...css.map((file) => ({
              tag: 'link',
              attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `/${file}` },
              injectTo: 'head' as const,
            })),
          ],
        };
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadWall()],
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
      // The contracts' and dashboards' modules only declare schemas, constants and functions (their top-level zod
      // calls and `.meta()` registrations matter to the backend's OpenAPI, never to the browser): telling the bundler
      // so lets a module the wall takes nothing from (notifications, directives, auth, rest, alerts…) go with the
      // console alone instead of into the chunk both routes download (issue 14 goal 6).
      treeshake: {
        manualPureFunctions: ['z'],
        moduleSideEffects: (id) => !/[\\/](contracts|dashboards)[\\/]src[\\/]/.test(id),
      },
      output: {
        // the chunk both routes share (React excepted) would be named after one of its modules: call it what it is;
        // echarts: the charts' code, which the wall loads after its first paint (charts/load-echarts.ts)
        chunkFileNames: (chunk) =>
          /^(WallApp|ConsoleApp|echarts)$/.test(chunk.name) ? 'assets/[name]-[hash].js' : 'assets/shared-[hash].js',
      },
    },
  },
});
