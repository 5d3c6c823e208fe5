import type { NextFunction, Request, Response } from 'express';
import { quote } from '@dxoc/contracts';
import { AppError } from './errors';

/** The media types the API reads a request body as (express.json's `type` in server.ts): JSON and its +json kin. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * A request body of another media type (text/plain, application/xml, a form, multipart) is refused with 415
 * unsupported_media_type naming the accepted types, before anything reads it. Without this the JSON parser left such
 * a body alone and the route saw none: 400 "the body must be a JSON object", which sends the sender looking at the
 * JSON it may well have written correctly, not at its Content-Type. A request without a body (no Content-Length and
 * no Transfer-Encoding, or a Content-Length of 0) passes whatever its Content-Type says.
 */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.headers['content-length'] === '0') return next();
  // already read as bytes by a route that takes a file (directiveAttachmentBody)
  if (Buffer.isBuffer(req.body)) return next();
  // null: no body; false: a body of another type (or of none named)
  if (req.is(JSON_MEDIA_TYPES) !== false) return next();
  const given = req.headers['content-type'];
  const got = given ? `Content-Type ${quote(given)}` : 'no Content-Type';
  next(
    new AppError(
      415,
      'unsupported_media_type',
      `the request body must be JSON, sent with Content-Type: application/json (or an application/*+json type); got ${got}. Nothing was stored.`,
      { accepted: JSON_MEDIA_TYPES, contentType: given ?? null },
    ),
  );
}
