// REST reads of the wall and the console, with the viewer token as bearer: a province's series (raw over the last
// day, or hourly buckets over a week) and the latest value per province.
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import { BASE_URL, CONFIG, LIVE_METRIC } from './config.js';

export const readErrors = new Rate('read_errors');

const PROVINCES = CONFIG.units.filter((u) => u.kind === 'province' && !u.validUntil).map((u) => u.code);
const HEADERS = { headers: { Authorization: `Bearer ${CONFIG.viewerToken}` } };

let n = 0;

export function readOnce() {
  n += 1;
  const unit = PROVINCES[Math.floor(Math.random() * PROVINCES.length)];
  const metric = encodeURIComponent(LIVE_METRIC);
  let res;
  if (n % 3 === 0) {
    res = http.get(`${BASE_URL}/api/v1/latest?metric=${metric}&unitKind=province`, { ...HEADERS, tags: { name: 'latest' } });
  } else if (n % 3 === 1) {
    const from = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    res = http.get(`${BASE_URL}/api/v1/series?metric=${metric}&unit=${unit}&from=${from}`, { ...HEADERS, tags: { name: 'series' } });
  } else {
    const from = encodeURIComponent(new Date(Date.now() - 7 * 86_400_000).toISOString());
    res = http.get(`${BASE_URL}/api/v1/series?metric=${metric}&unit=${unit}&from=${from}&bucket=1h`, {
      ...HEADERS,
      tags: { name: 'series' },
    });
  }
  readErrors.add(res.status !== 200, { status: String(res.status) });
  if (res.status !== 200 && n < 5) console.warn(`read ${res.status}: ${String(res.body).slice(0, 200)}`);
  return res;
}
