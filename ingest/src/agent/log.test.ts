import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

const at = Date.parse('2026-11-22T10:00:05.123Z');

describe('createLogger', () => {
  it('writes one text line per event for operators, and leaves debug out unless asked', () => {
    const lines: string[] = [];
    const logger = createLogger({ json: false, write: (line) => lines.push(line), now: () => at });
    logger.log('info', 'batch.stored', 'batch hcm.1a2b3c4d.12: 34 points stored', { batchId: 'hcm.1a2b3c4d.12', points: 34 });
    logger.log('debug', 'queue.scan', 'nothing to send');
    logger.log('warn', 'file.rows_rejected', 'bao-cao.csv: 2 rows not imported\n  (row 3, row 9)');
    expect(lines).toEqual([
      '2026-11-22T10:00:05.123Z info  batch.stored       batch hcm.1a2b3c4d.12: 34 points stored',
      '2026-11-22T10:00:05.123Z warn  file.rows_rejected bao-cao.csv: 2 rows not imported (row 3, row 9)',
    ]);
  });

  it('writes one JSON object per line with --json, debug included with --debug', () => {
    const lines: string[] = [];
    const logger = createLogger({ json: true, write: (line) => lines.push(line), now: () => at, debug: true });
    logger.log('debug', 'queue.scan', 'nothing to send');
    logger.log('error', 'batch.dead_letter', 'batch b: refused', { batchId: 'b', status: 400 });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { ts: '2026-11-22T10:00:05.123Z', level: 'debug', event: 'queue.scan', message: 'nothing to send' },
      {
        ts: '2026-11-22T10:00:05.123Z',
        level: 'error',
        event: 'batch.dead_letter',
        message: 'batch b: refused',
        batchId: 'b',
        status: 400,
      },
    ]);
  });

  it('never writes a secret-looking field', () => {
    const lines: string[] = [];
    const logger = createLogger({ json: true, write: (line) => lines.push(line), now: () => at });
    logger.log('warn', 'http.poll_failed', 'motcua: 401', {
      key: 'dxoc_1_2',
      headers: { Authorization: 'Bearer local-token' },
      source: 'motcua',
    });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ key: '[redacted]', headers: { Authorization: '[redacted]' }, source: 'motcua' });
    expect(lines[0]).not.toMatch(/dxoc_1_2|local-token/);
  });
});
