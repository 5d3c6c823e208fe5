import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config';

describe('configuration', () => {
  it('admits fewer ingest batches at once on the embedded database, which writes one at a time', () => {
    expect(loadConfig({}).ingestMaxInFlight).toBe(6);
    expect(loadConfig({ DATABASE_URL: 'postgresql://dxoc@db.internal/dxoc' }).ingestMaxInFlight).toBe(16);
    expect(loadConfig({ DXOC_INGEST_MAX_IN_FLIGHT: '32' }).ingestMaxInFlight).toBe(32);
    expect(() => loadConfig({ DXOC_INGEST_MAX_IN_FLIGHT: '0' })).toThrow(/DXOC_INGEST_MAX_IN_FLIGHT/);
  });

  it('refuses a time zone the platform does not know, naming the variable', () => {
    expect(loadConfig({ DXOC_TIMEZONE: 'Asia/Bangkok' }).timezone).toBe('Asia/Bangkok');
    expect(() => loadConfig({ DXOC_TIMEZONE: 'UTC+7' })).toThrow(/DXOC_TIMEZONE/);
  });
});
