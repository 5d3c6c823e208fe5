import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The backend's Content-Security-Policy: its answers are JSON, plus the Swagger UI at /api/docs/ (swagger-ui-dist's
 * script, stylesheet and our external docs-init.js, all same-origin). Swagger UI writes style attributes, and its
 * stylesheet draws icons as data: images. Nothing is loaded from elsewhere: the product runs air-gapped.
 * helmet's defaults are not used: they add upgrade-insecure-requests, which would send the docs' requests to
 * https:// on a deployment served over plain http inside the network.
 */
export const API_CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
} as const;

/** One year, helmet's default: a browser keeps using https for the host that long after its last secure answer. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * helmet on every answer. Strict-Transport-Security is sent only on answers that went over TLS — directly, or
 * behind a trusted proxy's X-Forwarded-Proto: https (req.secure honours `trust proxy`, DXOC_TRUSTED_PROXIES) — or
 * with DXOC_SECURE_COOKIES=always (the operator says TLS ends before an untrusted hop), the same rule as the Secure
 * cookie. helmet would send it always; browsers ignore it over http anyway, but an answer should not claim a TLS
 * deployment that does not exist, and a misconfigured proxy must not pin a host name to https it cannot serve.
 * No includeSubDomains: other services under the same domain on the internal network may be http only.
 * X-Frame-Options DENY and Referrer-Policy same-origin are the values the frontend's nginx sends on every answer,
 * the proxied ones included, so an answer through it never carries two different values.
 */
export function securityHeaders(options: { secureCookies: 'auto' | 'always' }) {
  const common = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    common(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (options.secureCookies === 'always' || req.secure) return hsts(req, res, next);
      next();
    });
  };
}
