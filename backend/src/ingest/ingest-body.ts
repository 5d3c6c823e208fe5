import { Readable } from 'node:stream';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { INGEST_PATH, MAX_BODY_BYTES } from '@dxoc/contracts';
import { JSON_MEDIA_TYPES } from '../http/media-type';
import { decodeBatchBytes } from './batch-bytes';

/** A charset parameter that names UTF-8 (what JSON is, RFC 8259 §8.1), alone or with other parameters. */
const UTF8_CHARSET = /;\s*charset\s*=\s*"?utf-8"?\s*(;|$)/i;

/**
 * The body of POST /api/v1/ingest, read as bytes and decoded straight into columns (decodeBatchBytes) when it is a
 * plain batch, which is what agents send; the route then gets the decoded batch. Any other body (malformed JSON, a
 * key named twice, an escape, a wrong type, …) is read by `json`, the parser every other route uses, from the same
 * bytes: its answers (400 with where the JSON breaks, the duplicate key, the depth) stay exactly as they were.
 * The bytes are read as `json` reads them (the same limit, decompression and errors: body-parser's own reader);
 * a body in a charset other than UTF-8 is left to `json` altogether (it decodes UTF-16 or answers 415).
 */
export function ingestBody(json: RequestHandler): RequestHandler {
  const raw = express.raw({ type: JSON_MEDIA_TYPES, limit: MAX_BODY_BYTES });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' || req.path !== INGEST_PATH || !namesUtf8OrNoCharset(req.headers['content-type'])) return next();
    raw(req, res, (error?: unknown) => {
      const bytes: unknown = req.body;
      if (error !== undefined || !Buffer.isBuffer(bytes)) return next(error);
      const batch = decodeBatchBytes(bytes);
      if (batch) {
        req.body = batch;
        return next();
      }
      readAsJson(json, bytes, req, res, next);
    });
  };
}

function namesUtf8OrNoCharset(contentType: string | undefined): boolean {
  return contentType === undefined || !/charset/i.test(contentType) || UTF8_CHARSET.test(contentType);
}

/**
 * Hands the bytes to the JSON parser as a request of their own (body-parser reads any stream with headers), so that
 * a body the byte decoder leaves is judged by the one parser and its verify hook, not by a copy of them.
 */
function readAsJson(json: RequestHandler, bytes: Buffer, req: Request, res: Response, next: NextFunction): void {
  const replay = Object.assign(Readable.from([bytes]), {
    headers: { 'content-type': req.headers['content-type'], 'content-length': String(bytes.length) },
    body: undefined as unknown,
  });
  json(replay as unknown as Request, res, (error?: unknown) => {
    if (error !== undefined) return next(error);
    req.body = replay.body;
    next();
  });
}
