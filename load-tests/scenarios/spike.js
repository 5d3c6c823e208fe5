// spike: steady ingest, then a burst of 10× that rate, then steady again. The API must not fail under the burst
// (no 5xx, no timeouts) and must be back to its steady latency once the backlog has drained.
// Phases over DURATION_S: 40% steady, 2 s ramp, 20% burst, 2 s ramp, 5 s settling, the rest recovery; every
// request is tagged with its phase.
//   -e INGEST_RATE=steady points/s (5000; the burst is 10×: 50,000, the ingest goal)  -e SPIKE_FACTOR (10)
import exec from 'k6/execution';
import { DURATION_S, num, SUMMARY_TREND_STATS, vusFor } from './lib/config.js';
import { batchesPerMinute } from './lib/exec.js';
import { buildBatch, postBatch } from './lib/ingest.js';

export { setup } from './lib/exec.js';

const STEADY = num('INGEST_RATE', 5_000);
const FACTOR = num('SPIKE_FACTOR', 10);
const steadyS = Math.max(2, Math.round(DURATION_S * 0.4));
const spikeS = Math.max(2, Math.round(DURATION_S * 0.2));
const settleS = 5;
// recovery starts after the settling seconds: at least 3 s of it, or a short run (--duration under ~23 s) would
// have no recovery sample at all and its threshold would pass without measuring anything
const recoveryS = Math.max(settleS + 3, DURATION_S - steadyS - spikeS - 4);
const BOUNDS = { spike: steadyS, settle: steadyS + 2 + spikeS + 2, recovery: steadyS + 2 + spikeS + 2 + settleS };
const steadyPerMinute = batchesPerMinute(STEADY);
const spikePerMinute = batchesPerMinute(STEADY * FACTOR);

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      exec: 'spikeIngest',
      startRate: steadyPerMinute,
      timeUnit: '1m',
      stages: [
        { duration: `${steadyS}s`, target: steadyPerMinute },
        { duration: '2s', target: spikePerMinute },
        { duration: `${spikeS}s`, target: spikePerMinute },
        { duration: '2s', target: steadyPerMinute },
        { duration: `${recoveryS}s`, target: steadyPerMinute },
      ],
      ...vusFor(spikePerMinute / 60, 1000),
      gracefulStop: '30s',
    },
  },
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: {
    ingest_errors: ['rate<0.01'],
    // no goal: listed so that the summary reports the latency over the whole run
    'http_req_duration{name:ingest}': ['max>=0'],
    'http_req_duration{name:ingest,phase:steady}': ['p(95)<=250'],
    'http_req_duration{name:ingest,phase:spike}': ['p(95)<=1000', 'max<30000'],
    'http_req_duration{name:ingest,phase:recovery}': ['p(95)<=250'],
    'ingest_errors{phase:spike}': ['rate<0.01'],
  },
};

function phase(elapsedS) {
  if (elapsedS < BOUNDS.spike) return 'steady';
  if (elapsedS < BOUNDS.settle) return 'spike';
  if (elapsedS < BOUNDS.recovery) return 'settle';
  return 'recovery';
}

export function spikeIngest() {
  const tags = { phase: phase((Date.now() - exec.scenario.startTime) / 1000) };
  postBatch(buildBatch(exec.scenario.iterationInTest), tags);
}
