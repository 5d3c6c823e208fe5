import { describe, expect, it } from 'vitest';
import { parseConfig, DEFAULT_CONFIG } from '../app/config';
import { toCsv } from './csv';
import { csvRows, pivot, localIsoTime } from './explore';
import { allMessageKeys, initialLang, translate } from './i18n';
import { LiveStream } from './live';
import { channelName } from '@dxoc/contracts';

describe('CSV export', () => {
  it.each([
    [['a', 'b'], [[1, 'x']], '\uFEFFa,b\r\n1,x\r\n'],
    [['t'], [['Hà Nội, "thủ đô"']], '\uFEFFt\r\n"Hà Nội, ""thủ đô"""\r\n'],
    [['t', 'v'], [['x', null]], '\uFEFFt,v\r\nx,\r\n'],
  ])('toCsv %#', (header, rows, expected) => {
    expect(toCsv(header, rows as never)).toBe(expected);
  });

  it('explore pivots units side by side, newest first, gaps empty', () => {
    const t1 = Date.parse('2026-11-21T00:00:00+07:00');
    const t2 = Date.parse('2026-11-22T00:00:00+07:00');
    const table = pivot(
      {
        '01': [
          { t: t1, v: 1 },
          { t: t2, v: 2 },
        ],
        '79': [{ t: t2, v: 20 }],
      },
      ['01', '79'],
    );
    expect(csvRows(table)).toEqual([
      ['2026-11-22T00:00:00+07:00', 2, 20],
      ['2026-11-21T00:00:00+07:00', 1, null],
    ]);
    expect(localIsoTime(Date.parse('2026-11-21T17:00:00Z'))).toBe('2026-11-22T00:00:00+07:00');
  });
});

describe('wall configuration (not code)', () => {
  it.each([
    [null, DEFAULT_CONFIG],
    [{}, DEFAULT_CONFIG],
    [
      { organization: { vi: 'Bộ X', en: 'Ministry X' }, emblemUrl: '/config/emblem.svg' },
      { organization: { vi: 'Bộ X', en: 'Ministry X' }, emblemUrl: '/config/emblem.svg', subtitle: null },
    ],
    [{ organization: { vi: '' } }, DEFAULT_CONFIG],
  ])('parseConfig %#', (json, expected) => {
    expect(parseConfig(json)).toEqual(expected);
  });
  it('defaults to the National Committee', () => {
    expect(DEFAULT_CONFIG.organization).toEqual({
      vi: 'Ủy ban Quốc gia về chuyển đổi số',
      en: 'National Committee on Digital Transformation',
    });
  });
});

describe('language', () => {
  it.each([
    ['?lang=en', null, 'en'],
    ['?lang=vi', 'en', 'vi'],
    ['', 'en', 'en'],
    ['', null, 'vi'],
    ['?lang=fr', null, 'vi'],
  ] as const)('initialLang(%s, %s) = %s', (search, stored, expected) => {
    expect(initialLang(search, stored)).toBe(expected);
  });
  it('every text exists in both languages', () => {
    for (const key of allMessageKeys()) {
      expect(translate(key, 'vi'), key).not.toBe('');
      expect(translate(key, 'en'), key).not.toBe('');
    }
  });
});

describe('live stream routing', () => {
  it('routes each delta to the panels of its channel and keeps the last cursor', () => {
    const live = new LiveStream({ token: () => null, connect: false });
    const got: string[] = [];
    const stopA = live.register({ metric: 'einvoice.issued', units: ['VN'] }, (d) => got.push(`a:${d.values.length}`));
    live.register({ metric: 'einvoice.issued', units: 'provinces' }, (d) => got.push(`p:${d.values.length}`));
    const alerts: number[] = [];
    live.onAlert((e) => alerts.push(e.alert.id));
    live.receive({
      cursor: 'c1',
      deltas: [
        {
          channel: channelName({ metric: 'einvoice.issued', units: ['VN'] }),
          metric: 'einvoice.issued',
          units: ['VN'],
          ts: [1_767_225_600_000],
          values: [1],
        },
        {
          channel: channelName({ metric: 'einvoice.issued', units: 'provinces' }),
          metric: 'einvoice.issued',
          units: [],
          ts: [],
          values: [],
        },
        { channel: 'series:other:VN', metric: 'other', units: [], ts: [], values: [] },
      ],
      alerts: [{ alert: { id: 9 } as never, transition: 'firing' }],
    });
    expect(got).toEqual(['a:1', 'p:0']);
    expect(alerts).toEqual([9]);
    expect(live.lastCursor).toBe('c1');
    stopA();
    expect(live.channelCount).toBe(1);
    live.stop();
  });
});
