// mixed: everything at once — ingest at the goal rate, the wall clients with the latency probe, and REST reads of
// the wall and console (series raw and hourly, latest per province) with the viewer token as bearer.
// The wall clients watch einvoice.issued for 'provinces', which the ingest also writes (backfill): every client
// receives that share of the ingest too, as a real wall would.
//   -e INGEST_RATE (50000)  -e VIEWERS (1000)  -e PROBE_RATE (5)  -e READ_RATE=requests/s (20)  -e DURATION_S (60)
import { DURATION_S, SUMMARY_TREND_STATS } from './lib/config.js';
import { everythingAtOnce } from './lib/exec.js';

export { ingest, probe, reads, setup, viewer } from './lib/exec.js';

const { rate: RATE, ramp: RAMP, scenarios } = everythingAtOnce({ ingestRate: 50_000, viewers: 1000, probeRate: 5, readRate: 20 });

export const options = {
  scenarios,
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: {
    'http_req_duration{name:ingest}': ['p(95)<=250'],
    ingest_errors: ['rate<0.01'],
    points_accepted: [`rate>=${Math.floor(0.95 * RATE * (DURATION_S / (DURATION_S + RAMP + 4)))}`],
    live_latency: ['p(99)<=250'],
    viewer_connected: ['rate>=0.99'],
    'http_req_duration{name:series}': ['p(95)<=500'],
    'http_req_duration{name:latest}': ['p(95)<=500'],
    read_errors: ['rate<0.01'],
  },
};
