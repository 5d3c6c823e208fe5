/**
 * zod builds a faster parser with `new Function` when it may, and probes for that with `Function('')`: under the
 * web app's Content-Security-Policy (script-src 'self', no 'unsafe-eval') the probe is refused and reported as a
 * violation on every page. Parsing without it is what zod documents for such pages. main.tsx imports this first,
 * so it runs before any schema of @dxoc/contracts is built (they come with the lazily loaded routes).
 */
import { config } from 'zod';

config({ jitless: true });
