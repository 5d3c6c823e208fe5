// ingest: a constant arrival rate of 1,000-point batches from every unit in force (34 provinces, 17 ministries,
// the nation), each posted with the agent key of its unit's group, values from the demo simulator's generators.
//
// Goal (2 cores, embedded database): 50,000 points/s accepted with p95 batch latency ≤ 250 ms.
//   -e INGEST_RATE=points/s (50000)  -e BATCH_SIZE=points (1000)  -e DURATION_S=seconds (60)
import { DURATION_S, num, SUMMARY_TREND_STATS } from './lib/config.js';
import { ingestScenario } from './lib/exec.js';

export { ingest, setup } from './lib/exec.js';

const RATE = num('INGEST_RATE', 50_000);

export const options = {
  scenarios: { ingest: ingestScenario(RATE, 0) },
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: {
    'http_req_duration{name:ingest}': ['p(95)<=250'],
    ingest_errors: ['rate<0.01'],
    // the rate over the whole run (a little longer than DURATION_S): 95% of the target
    points_accepted: [`rate>=${Math.floor(0.95 * RATE * (DURATION_S / (DURATION_S + 1)))}`],
  },
};
