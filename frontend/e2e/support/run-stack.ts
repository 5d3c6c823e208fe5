import { inject } from 'vitest';
import { startStack, type Stack } from './stack';

/** A browser test file's stack: on this run's frontend build and a copy of its prepared data directory (run-once.ts). */
export function startRunStack(): Promise<Stack> {
  return startStack({ dist: inject('frontendDist'), data: inject('backendData') });
}
