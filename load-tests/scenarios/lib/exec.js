// The functions the scenarios run (k6 `exec` names), the run's timeline, and the scenario builders.
//
// Timeline of a run with wall clients: they connect over RAMP_S (100 per second by default), then ingest, the
// probe and REST reads run for DURATION_S (the measured phase), then the clients stay TAIL_S longer to receive the
// last probes, and leave.
import exec from 'k6/execution';
import { BATCH_SIZE, DURATION_S, num, vusFor } from './config.js';
import { buildBatch, postBatch, sendProbe } from './ingest.js';
import { readOnce } from './reads.js';
import { runViewer } from './viewer.js';

/** Seconds the wall clients stay after the measured phase, for the last probes. */
export const TAIL_S = num('TAIL_S', 3);

/** Start of the measured phase, given the number of wall clients connecting before it. */
export function rampSeconds(viewers) {
  return viewers > 0 ? num('RAMP_S', Math.max(2, Math.ceil(viewers / 100))) : 0;
}

export function setup() {
  return { startedAt: Date.now() };
}

/** One batch of simulated points (the batch number is unique in the scenario). */
export function ingest() {
  postBatch(buildBatch(exec.scenario.iterationInTest));
}

export function probe() {
  sendProbe();
}

export function reads() {
  readOnce();
}

/** One wall client, connected from its turn in the ramp until the end of the tail. */
export function viewer(data) {
  const viewers = exec.test.options.scenarios[exec.scenario.name].vus;
  const ramp = rampSeconds(viewers) * 1000;
  const start = exec.scenario.startTime;
  const index = exec.scenario.iterationInTest;
  runViewer({
    probesFrom: data.startedAt,
    connectAt: start + Math.floor((index * ramp) / viewers),
    closeAt: start + ramp + (DURATION_S + TAIL_S) * 1000,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Scenario builders
// ---------------------------------------------------------------------------------------------------------

/** Batches per minute for a rate in points per second (k6 arrival rates are whole numbers per time unit). */
export function batchesPerMinute(pointsPerSecond, batch = BATCH_SIZE) {
  return Math.max(1, Math.round((pointsPerSecond * 60) / batch));
}

export function ingestScenario(pointsPerSecond, startS, durationS = DURATION_S) {
  const perMinute = batchesPerMinute(pointsPerSecond);
  return {
    executor: 'constant-arrival-rate',
    exec: 'ingest',
    rate: perMinute,
    timeUnit: '1m',
    duration: `${durationS}s`,
    startTime: `${startS}s`,
    ...vusFor(perMinute / 60, 400),
    gracefulStop: '30s',
  };
}

export function viewersScenario(viewers) {
  return {
    executor: 'per-vu-iterations',
    exec: 'viewer',
    vus: viewers,
    iterations: 1,
    maxDuration: `${rampSeconds(viewers) + DURATION_S + TAIL_S + 30}s`,
    gracefulStop: '10s',
  };
}

export function probeScenario(perSecond, startS, durationS = DURATION_S) {
  return {
    executor: 'constant-arrival-rate',
    exec: 'probe',
    rate: perSecond,
    timeUnit: '1s',
    duration: `${durationS}s`,
    startTime: `${startS}s`,
    preAllocatedVUs: 2,
    maxVUs: 20,
    gracefulStop: '10s',
  };
}

export function readsScenario(perSecond, startS, durationS = DURATION_S) {
  return {
    executor: 'constant-arrival-rate',
    exec: 'reads',
    rate: perSecond,
    timeUnit: '1s',
    duration: `${durationS}s`,
    startTime: `${startS}s`,
    ...vusFor(perSecond, 500, 100),
    gracefulStop: '10s',
  };
}

/**
 * Ingest, wall clients with the latency probe, and REST reads at once (mixed, smoke): the four scenarios with their
 * rates from -e INGEST_RATE, VIEWERS, PROBE_RATE and READ_RATE, defaulting to `defaults`.
 */
export function everythingAtOnce(defaults) {
  const rate = num('INGEST_RATE', defaults.ingestRate);
  const viewers = num('VIEWERS', defaults.viewers);
  const ramp = rampSeconds(viewers);
  return {
    rate,
    ramp,
    scenarios: {
      viewers: viewersScenario(viewers),
      ingest: ingestScenario(rate, ramp),
      probe: probeScenario(num('PROBE_RATE', defaults.probeRate), ramp + 1, DURATION_S - 1),
      reads: readsScenario(num('READ_RATE', defaults.readRate), ramp),
    },
  };
}
