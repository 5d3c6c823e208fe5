// Writes src/geo/vn-34-provinces.wall.geojson, the province map the wall draws, from src/geo/vn-34-provinces.geojson
// (see geo/SOURCE.md). Run it again whenever the source file changes:   node scripts/simplify-map.mjs
//
// The wall's map is never zoomed (roam: false) and spans at most about 1,000 px for 16.5° of latitude at 3840×2160,
// so 0.0165° a pixel: coordinates rounded to 0.001° and every ring Douglas–Peucker-simplified at 0.002° move no
// border by more than a fifth of a pixel, and halve the download (150 → 71 KB gzip). Every ring is kept (the
// islands of Hoàng Sa and Trường Sa are tiny rings): a ring that would fall under four points keeps its rounded points.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const geoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/geo');
const source = path.join(geoDir, 'vn-34-provinces.geojson');
const target = path.join(geoDir, 'vn-34-provinces.wall.geojson');
const DECIMALS = 3;
const TOLERANCE = 0.002;

const round = (value) => Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;

/** Douglas–Peucker on a ring (its first and last points, the same point, always stay). */
function simplify(points, tolerance) {
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [x1, y1] = points[a];
    const [dx, dy] = [points[b][0] - x1, points[b][1] - y1];
    const length2 = dx * dx + dy * dy;
    let farthest = -1;
    let farthest2 = tolerance * tolerance;
    for (let i = a + 1; i < b; i++) {
      const [x, y] = points[i];
      const t = length2 ? Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length2)) : 0;
      const [ex, ey] = [x1 + t * dx - x, y1 + t * dy - y];
      if (ex * ex + ey * ey > farthest2) [farthest, farthest2] = [i, ex * ex + ey * ey];
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([a, farthest], [farthest, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function ring(points) {
  const rounded = points
    .map(([lon, lat]) => [round(lon), round(lat)])
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  const [first, last] = [rounded[0], rounded.at(-1)];
  if (first[0] !== last[0] || first[1] !== last[1]) rounded.push(first);
  const simplified = simplify(rounded, TOLERANCE);
  return simplified.length >= 4 ? simplified : rounded.length >= 4 ? rounded : points;
}

const geo = JSON.parse(readFileSync(source, 'utf8'));
let [before, after, rings] = [0, 0, 0];
for (const feature of geo.features) {
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  for (const polygon of polygons)
    for (let i = 0; i < polygon.length; i++) {
      before += polygon[i].length;
      polygon[i] = ring(polygon[i]);
      after += polygon[i].length;
      rings++;
    }
}
const text = JSON.stringify(geo);
writeFileSync(target, text);
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const original = readFileSync(source);
console.log(
  `${path.basename(target)}: ${geo.features.length} provinces, ${rings} rings, ${before} → ${after} points; ` +
    `${kb(original.length)} → ${kb(text.length)} (gzip ${kb(gzipSync(original, { level: 9 }).length)} → ${kb(gzipSync(text, { level: 9 }).length)})`,
);
