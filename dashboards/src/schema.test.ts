import { describe, expect, it } from 'vitest';
import { CompliancePanel } from './schema';

const panel = {
  id: 'provinces',
  kind: 'compliance',
  title: { vi: 'Các tỉnh', en: 'Provinces' },
  position: { x: 0, y: 0, w: 6, h: 8 },
  metrics: ['dvc.services_online', 'einvoice.issued'],
};

describe('a compliance panel names its metrics short in its legend', () => {
  it('takes a short bilingual name per tracked metric, none by default', () => {
    const labels = { 'dvc.services_online': { vi: 'DVC trên Cổng', en: 'Services on the portal' } };
    expect(CompliancePanel.parse({ ...panel, display: { labels } }).display.labels).toEqual(labels);
    expect(CompliancePanel.parse(panel).display.labels).toEqual({});
  });
  it('refuses a label for a metric the panel does not track, and a label without English', () => {
    const stray = CompliancePanel.safeParse({
      ...panel,
      display: { labels: { 'vneid.accounts_activated': { vi: 'VNeID', en: 'VNeID' } } },
    });
    expect(stray.success).toBe(false);
    expect(stray.error?.issues[0]?.message).toContain('"vneid.accounts_activated" is labelled but not among the panel\'s metrics');
    const noEnglish = CompliancePanel.safeParse({ ...panel, display: { labels: { 'einvoice.issued': { vi: 'Hóa đơn' } } } });
    expect(noEnglish.success).toBe(false);
  });
});
