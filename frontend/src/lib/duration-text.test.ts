import { AGGREGATIONS, BUCKET_UNITS } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import { aggregationText, durationText } from './duration-text';

describe('durationText', () => {
  it('puts bucket codes in words', () => {
    expect(durationText('1d', 'vi')).toBe('1 ngày');
    expect(durationText('1d', 'en')).toBe('1 day');
    expect(durationText('15m', 'en')).toBe('15 minutes');
    expect(durationText('1mo', 'vi')).toBe('1 tháng');
    expect(durationText('1y', 'en')).toBe('1 year');
  });
  it('every bucket unit of the contracts has words, never the code', () => {
    for (const unit of BUCKET_UNITS) {
      expect(durationText(`2${unit}`, 'vi')).not.toMatch(new RegExp(`\\d${unit}$`));
      expect(durationText(`2${unit}`, 'en')).toMatch(/s$/);
    }
  });
  it('text that is not a duration is kept', () => {
    expect(durationText('', 'vi')).toBe('');
  });
});

describe('aggregationText', () => {
  it('names every aggregation in both languages', () => {
    for (const agg of AGGREGATIONS) {
      expect(aggregationText(agg, 'vi')).not.toBe(agg);
      expect(aggregationText(agg, 'en')).not.toBe(agg);
    }
  });
});
