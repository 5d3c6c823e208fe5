import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../bench/histogram';
import { percentile } from '../bench/support';

// The live benchmark's clients send histograms instead of millions of samples: its percentiles must be the ones the
// samples themselves give, to the bucket's 0.1 ms.
describe('the live benchmark latency histogram', () => {
  const samples = Array.from({ length: 20_000 }, (_, i) => {
    const u = ((i * 7919) % 10_007) / 10_007;
    return i % 97 === 0 ? 2_000 + u * 3_000 : -20 + u * u * 400;
  });

  it('gives the sorted samples’ nearest-rank percentiles and max to 0.1 ms, also when added up from parts', () => {
    const whole = new LatencyHistogram();
    for (const ms of samples) whole.add(ms);
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    samples.forEach((ms, i) => (i % 3 === 0 ? a : b).add(ms));
    const merged = new LatencyHistogram().addEntries(a.entries()).addEntries(b.entries());
    const ascending = [...samples].sort((x, y) => x - y);
    for (const histogram of [whole, merged]) {
      expect(histogram.count).toBe(samples.length);
      for (const q of [0, 1, 50, 90, 95, 99, 99.9, 100])
        expect(Math.abs(histogram.percentile(q) - percentile(ascending, q))).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(histogram.max() - (ascending.at(-1) as number))).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    expect(whole.entries().length).toBeLessThan(samples.length);
  });

  it('is empty without samples and ignores values that are not numbers', () => {
    const histogram = new LatencyHistogram();
    histogram.add(Number.NaN);
    expect(histogram.count).toBe(0);
    expect(histogram.percentile(99)).toBeNaN();
    expect(histogram.max()).toBeNaN();
  });
});
