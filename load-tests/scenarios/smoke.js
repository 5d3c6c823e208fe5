// smoke: a short, small run of ingest, wall clients with the probe, and REST reads. It only proves the scripts work
// (CI runs it, on a machine that may be busy with other builds): the thresholds check that every part did its job
// — points accepted, wall clients connected and receiving, probes timed, reads answered, no errors — with latency
// bounds that only catch a hang. The goals are in ingest.js, viewers.js, mixed.js and spike.js.
//   -e INGEST_RATE (1000)  -e VIEWERS (10)  -e PROBE_RATE (2)  -e READ_RATE (1)  -e DURATION_S (20)  -e TAIL_S (5)
import { SUMMARY_TREND_STATS } from './lib/config.js';
import { everythingAtOnce } from './lib/exec.js';

export { ingest, probe, reads, setup, viewer } from './lib/exec.js';

const { scenarios } = everythingAtOnce({ ingestRate: 1000, viewers: 10, probeRate: 2, readRate: 1 });

export const options = {
  scenarios,
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: {
    points_accepted: ['count>0'],
    ingest_errors: ['rate<0.05'],
    'http_req_duration{name:ingest}': ['p(95)<30000'],
    viewer_connected: ['rate>=0.9'],
    live_messages: ['count>0'],
    live_probes_received: ['count>0'],
    live_latency: ['p(99)<30000'],
    read_errors: ['rate<0.05'],
    'http_req_duration{name:series}': ['p(95)<30000'],
    'http_req_duration{name:latest}': ['p(95)<30000'],
  },
};
