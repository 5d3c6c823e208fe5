import { readdirSync } from 'node:fs';
import path from 'node:path';

/** How many pages the backend provisions: one file each in dashboards/pages (the wall has no list of its own). */
export const shippedPages = readdirSync(path.resolve(import.meta.dirname, '../../../dashboards/pages')).filter((f) =>
  f.endsWith('.yaml'),
).length;
