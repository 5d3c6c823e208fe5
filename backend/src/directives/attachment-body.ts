import express, { type NextFunction, type Request, type Response } from 'express';
import { attachmentTooLarge } from './directives.service';

/** PUT /api/v1/directives/:id/units/:unit/attachment: the only route whose body is not JSON. */
const ATTACHMENT_PATH = /^\/api\/v1\/directives\/[^/]+\/units\/[^/]+\/attachment\/?$/;

/**
 * Reads the body of an attachment upload as raw bytes whatever its declared Content-Type (the service checks the
 * type by its first bytes), up to maxBytes; larger → 413 attachment_too_large before the route runs. Mounted before
 * the JSON-only check, which lets a body already read as bytes pass.
 */
export function directiveAttachmentBody(maxBytes: number) {
  const raw = express.raw({ type: () => true, limit: maxBytes });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'PUT' || !ATTACHMENT_PATH.test(req.path)) return next();
    raw(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') return next(attachmentTooLarge(maxBytes));
      next(error);
    });
  };
}
