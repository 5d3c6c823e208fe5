// viewers: many wall screens on the live stream (socket.io over k6's WebSocket, framing done by hand in
// lib/viewer.js), each subscribed to einvoice.issued for 'provinces' with alerts, while a probe posts one value per
// province stamped with its send time PROBE_RATE times a second; every client times every probe it receives.
//
// Goal (2 cores, embedded database): 1,000 socket clients with p99 ingest→receive ≤ 250 ms.
//   -e VIEWERS=n (1000)  -e PROBE_RATE=batches/s (5)  -e DURATION_S=seconds (60)  -e RAMP_S=seconds (VIEWERS/100)
import { DURATION_S, num, SUMMARY_TREND_STATS } from './lib/config.js';
import { probeScenario, rampSeconds, viewersScenario } from './lib/exec.js';

export { probe, setup, viewer } from './lib/exec.js';

const VIEWERS = num('VIEWERS', 1000);
const PROBE_RATE = num('PROBE_RATE', 5);
const RAMP = rampSeconds(VIEWERS);

export const options = {
  scenarios: {
    viewers: viewersScenario(VIEWERS),
    probe: probeScenario(PROBE_RATE, RAMP + 1, DURATION_S - 1),
  },
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: {
    live_latency: ['p(99)<=250'],
    viewer_connected: ['rate>=0.99'],
    // every client receives every probe sent while it is connected (a little slack for the first and last)
    live_probes_received: [`count>=${Math.floor(0.97 * VIEWERS * PROBE_RATE * (DURATION_S - 1))}`],
    viewer_drops: ['count==0'],
    viewer_subscribe_failures: ['count==0'],
    // no goal: listed so that the summary reports the probe's own batch latency
    'http_req_duration{name:probe}': ['max>=0'],
  },
};
