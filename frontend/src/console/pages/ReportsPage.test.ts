import { describe, expect, it } from 'vitest';
import { weekLabel } from './ReportsPage';

describe('report week label', () => {
  it('names Monday to Sunday in the language, across a month and a year', () => {
    expect(weekLabel('2026-11-23', 'vi')).toBe('23/11/2026 – 29/11/2026');
    expect(weekLabel('2026-11-30', 'en')).toBe('30 Nov 2026 – 6 Dec 2026');
    expect(weekLabel('2026-12-28', 'vi')).toBe('28/12/2026 – 03/01/2027');
  });
});
