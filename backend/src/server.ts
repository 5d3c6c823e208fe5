import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { INGEST_PATH, MAX_BODY_BYTES } from '@dxoc/contracts';
import { AppModule, type AppDependencies } from './app.module';
import { Seeder } from './seed/seeder';
import { migrate } from './db/migrator';
import { TimescaleJobs } from './db/timescale-jobs';
import { mountApiDocs } from './http/docs';
import { httpObserver } from './observability/http-observer';
import { JsonLogger, LOGGER } from './observability/logger';
import { METRICS, type Metrics } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-server';
import { GlobalExceptionFilter, sendError, toHttpAnswer } from './http/exception.filter';
import { IngestLogService } from './ingest/ingest-log.service';
import { ingestBody } from './ingest/ingest-body';
import { refuseDuplicateKeys } from './http/duplicate-keys';
import { JSON_MEDIA_TYPES, requireJsonBody } from './http/media-type';
import { directiveAttachmentBody } from './directives/attachment-body';
import { securityHeaders } from './http/security-headers';
import type { NextFunction, Request, Response } from 'express';

export interface StartedServer {
  app: NestExpressApplication;
  url: string;
  /** where Prometheus scrapes, or null when DXOC_METRICS_PORT=off */
  metricsUrl: string | null;
  close(): Promise<void>;
}

/** Builds the HTTP application on a database that is already migrated. */
export async function createApp(deps: AppDependencies): Promise<NestExpressApplication> {
  const logger = deps.logger ?? new JsonLogger(deps.config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register({ ...deps, logger }), {
    bodyParser: false,
    // Nest's own messages go through the same JSON lines
    logger: {
      log: (message: unknown) => logger.debug('nest', { message: String(message) }),
      warn: (message: unknown) => logger.warn('nest', { message: String(message) }),
      error: (message: unknown, trace?: unknown) =>
        logger.error('nest', { message: String(message), trace: trace === undefined ? undefined : String(trace) }),
    },
  });
  app.disable('x-powered-by');
  // Who the client is (req.ip: login throttling, audit) and whether it came over TLS (req.secure: Secure cookies):
  // X-Forwarded-For/-Proto are believed only from these proxies; none by default, so a client cannot forge them.
  app.set('trust proxy', deps.config.trustedProxies.length > 0 ? deps.config.trustedProxies : false);
  // helmet's headers and the API's Content-Security-Policy on every answer, errors and /api/docs included
  app.use(securityHeaders({ secureCookies: deps.config.secureCookies }));
  // Sign-in answers carry or concern a session token: no browser or proxy may keep a copy (errors included).
  app.use('/api/v1/auth', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(httpObserver(app.get<JsonLogger>(LOGGER), app.get<Metrics>(METRICS)));
  // the API reads JSON bodies only: another media type is 415 before anything reads it
  // …except a directive attachment upload, read as bytes (its type is checked by content, its size by config)
  app.use(directiveAttachmentBody(deps.config.directiveAttachmentMaxBytes));
  app.use('/api', requireJsonBody);
  // verify runs on the (decompressed) bytes before JSON.parse: a key named twice in one object is refused there
  const json = express.json({ limit: MAX_BODY_BYTES, type: JSON_MEDIA_TYPES, verify: refuseDuplicateKeys });
  // an ingest batch is read from its bytes straight into columns, and by `json` when it is not a plain one
  app.use(ingestBody(json));
  app.use(json);
  // Body-parser errors (too large, malformed JSON) happen before Nest's routing: answer them here, before
  // Nest's own error handler turns a JSON SyntaxError into a bare 400 "http_error".
  // A batch refused so is recorded in the ingest log for its key's operator when the key holds.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (req.method === 'POST' && req.path === INGEST_PATH) {
      app.get(IngestLogService).recordUnreadBody(req.headers.authorization, toHttpAnswer(error));
    }
    sendError(res, error, app.get<JsonLogger>(LOGGER));
  });
  mountApiDocs(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new GlobalExceptionFilter(app.get<JsonLogger>(LOGGER)));
  app.enableShutdownHooks();
  await app.init();
  return app;
}

/** Migrate, seed, apply TimescaleDB policies, listen. */
export async function startServer(deps: AppDependencies, options: { seed?: boolean } = {}): Promise<StartedServer> {
  await migrate(deps.db);
  const app = await createApp(deps);
  if (options.seed !== false) await app.get(Seeder).run();
  const jobs = app.get(TimescaleJobs);
  await jobs.applyPolicies();
  jobs.start();
  await app.listen(deps.config.port, deps.config.host);
  // Agents and proxies keep connections open between batches: close idle ones later than they would
  // (Node's 5 s default makes a client reuse a socket the server is just closing → ECONNRESET).
  const httpServer = app.getHttpServer() as HttpServer;
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : deps.config.port;
  const host = deps.config.host === '0.0.0.0' || deps.config.host === '::' ? '127.0.0.1' : deps.config.host;
  const metricsServer = deps.config.metrics
    ? await startMetricsServer(app.get<Metrics>(METRICS), deps.config.metrics.port, deps.config.metrics.host)
    : null;
  return {
    app,
    url: `http://${host}:${port}`,
    metricsUrl: metricsServer?.url ?? null,
    close: async () => {
      await metricsServer?.close();
      await app.close();
    },
  };
}
