/**
 * Whether TimescaleDB's jobs keep up: pure, from what the server's scheduler recorded and what dxoc's own runner did.
 * A job is failing when its latest run failed, overdue when nothing succeeded for three schedule intervals (plus a
 * minute) since it was last successful, or since it was first due.
 */
import type { JobProblem } from '@dxoc/contracts';

export interface JobObservation {
  jobId: number;
  proc: string;
  target: string | null;
  scheduleIntervalMs: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  /** overdue is counted from here when the job never succeeded: when dxoc started watching, or its first start */
  firstDueAt: Date;
}

const OVERDUE_INTERVALS = 3;
const OVERDUE_GRACE_MS = 60_000;

export function jobProblems(jobs: readonly JobObservation[], now: Date): JobProblem[] {
  const problems: JobProblem[] = [];
  for (const job of jobs) {
    const failing = job.lastFailureAt !== null && (job.lastSuccessAt === null || job.lastFailureAt > job.lastSuccessAt);
    const since = job.lastSuccessAt ?? job.firstDueAt;
    const overdue = now.getTime() - since.getTime() > OVERDUE_INTERVALS * job.scheduleIntervalMs + OVERDUE_GRACE_MS;
    if (!failing && !overdue) continue;
    problems.push({
      jobId: job.jobId,
      proc: job.proc,
      target: job.target,
      problem: failing ? 'failing' : 'overdue',
      lastSuccessAt: job.lastSuccessAt?.toISOString() ?? null,
      lastError: failing ? job.lastError : null,
    });
  }
  return problems;
}

/** The later of two optional times. */
export function later(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
