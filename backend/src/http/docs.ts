import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import { buildOpenApiDocument } from './openapi';

const require = createRequire(import.meta.url);

const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dxoc API</title>
<link rel="stylesheet" href="./swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="./swagger-ui-bundle.js"></script>
<script src="./docs-init.js"></script></body></html>`;

/** Served from the bundled swagger-ui-dist: the docs work air-gapped, nothing is fetched from a CDN. */
export function mountApiDocs(app: Express): void {
  const document = buildOpenApiDocument();
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get(['/api/docs', '/api/docs/'], (req, res) => {
    if (!req.path.endsWith('/')) {
      res.redirect(301, '/api/docs/');
      return;
    }
    res.type('html').send(INDEX_HTML);
  });
  app.get('/api/docs/docs-init.js', (_req, res) => {
    res.type('application/javascript').send(`window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });`);
  });
  app.use('/api/docs', express.static(assets, { index: false }));
}
