import { describe, expect, it } from 'vitest';
import { dayRange, dayStartMs, lastDays } from './day-range';

describe('typed days to API instants', () => {
  it('starts a day at midnight in Viet Nam, whatever the browser zone', () => {
    expect(new Date(dayStartMs('2026-12-01', 'Asia/Ho_Chi_Minh') as number).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(dayStartMs('', 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(dayStartMs('01/12/2026', 'Asia/Ho_Chi_Minh')).toBeNull();
  });

  it('makes [from, to) covering both typed days whole, across a month end', () => {
    expect(dayRange('2026-11-30', '2026-11-30', 'Asia/Ho_Chi_Minh')).toEqual({
      from: '2026-11-29T17:00:00.000Z',
      to: '2026-11-30T17:00:00.000Z',
    });
    expect(dayRange('', '2026-12-31', 'Asia/Ho_Chi_Minh')).toEqual({ to: '2026-12-31T17:00:00.000Z' });
    expect(dayRange('2026-12-01', '', 'Asia/Ho_Chi_Minh')).toEqual({ from: '2026-11-30T17:00:00.000Z' });
  });

  it('follows a zone whose offset changes on the day', () => {
    // Europe/Berlin leaves summer time on 25 October 2026: that day starts at UTC+2
    expect(new Date(dayStartMs('2026-10-25', 'Europe/Berlin') as number).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(dayRange('2026-10-26', '2026-10-26', 'Europe/Berlin')).toEqual({
      from: '2026-10-25T23:00:00.000Z',
      to: '2026-10-26T23:00:00.000Z',
    });
  });

  it('names the last days as the Vietnamese calendar counts them', () => {
    // 20:00 UTC on 6 December is already 7 December in Viet Nam
    expect(lastDays(7, Date.parse('2026-12-06T20:00:00Z'), 'Asia/Ho_Chi_Minh')).toEqual({ from: '2026-11-30', to: '2026-12-07' });
  });
});
