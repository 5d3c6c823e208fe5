import { describe, expect, it } from 'vitest';
import { CONDITION_TYPES, RuleConditionSchema, type ConditionOf, type ConditionType, type RuleCondition } from '@dxoc/contracts';
import { textIn } from './condition-editor';
import { CONDITION_EDITORS, conditionFields, conditionInput, conditionSummary, conditionThresholdLines, editorOf } from './registry';

/** One saved condition of each type (the compiler asks for a new type's sample too). */
const SAMPLES: { [T in ConditionType]: ConditionOf<T>[] } = {
  above: [{ type: 'above', value: 1500 }],
  below: [{ type: 'below', value: 2.5 }],
  change: [
    { type: 'change', direction: 'rise', percent: 12.5, window: '2h' },
    { type: 'change', direction: 'drop', percent: 5, window: '7d' },
  ],
  no_data: [{ type: 'no_data' }, { type: 'no_data', after: '2d' }],
  target_at_risk: [{ type: 'target_at_risk' }, { type: 'target_at_risk', targetId: 7 }],
};
const samples = CONDITION_TYPES.flatMap((type): RuleCondition[] => SAMPLES[type]);

describe('condition editors', () => {
  it('one editor per type of the contract, in the contract’s order', () => {
    expect(Object.keys(CONDITION_EDITORS).sort()).toEqual([...CONDITION_TYPES].sort());
    for (const type of CONDITION_TYPES) expect(editorOf(type).type).toBe(type);
  });

  it('every type has a distinct name in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      const labels = CONDITION_TYPES.map((type) => textIn(CONDITION_EDITORS[type].label, lang));
      expect(labels.every((label) => label.trim() !== '')).toBe(true);
      expect(new Set(labels).size).toBe(labels.length);
    }
    expect(textIn(CONDITION_EDITORS.change.label, 'vi')).toBe('Tăng/giảm đột biến');
    expect(textIn(CONDITION_EDITORS.change.label, 'en')).toBe('Sudden rise or drop');
  });

  it.each(samples)('a saved $type condition round-trips through its fields', (condition) => {
    const fields = conditionFields(condition);
    // every field of the form has a default, and the defaults name every field the type fills in
    expect(Object.keys(fields).sort()).toEqual(Object.keys(editorOf(condition.type).defaults).sort());
    expect(Object.values(fields).every((v) => typeof v === 'string')).toBe(true);
    expect(RuleConditionSchema.parse(conditionInput(condition.type, fields))).toEqual(condition);
  });

  it.each([
    { condition: SAMPLES.above[0]!, vi: '> 1.500', en: '> 1,500' },
    { condition: SAMPLES.below[0]!, vi: '< 2,5', en: '< 2.5' },
    { condition: SAMPLES.change[0]!, vi: 'tăng ≥ 12,5% / 2h', en: 'rise ≥ 12.5% / 2h' },
    { condition: SAMPLES.change[1]!, vi: 'giảm ≥ 5% / 7d', en: 'drop ≥ 5% / 7d' },
    { condition: SAMPLES.no_data[0]!, vi: 'Không nhận được số liệu', en: 'No data received' },
    { condition: SAMPLES.no_data[1]!, vi: 'Không nhận được số liệu > 2d', en: 'No data received > 2d' },
    { condition: SAMPLES.target_at_risk[1]!, vi: 'Có nguy cơ không đạt mục tiêu', en: 'Target at risk' },
  ])('the rules table says "$en"', ({ condition, vi, en }) => {
    expect(conditionSummary(condition, { metric: undefined, lang: 'vi' })).toBe(vi);
    expect(conditionSummary(condition, { metric: undefined, lang: 'en' })).toBe(en);
  });

  it('the backtest chart draws the threshold of above and below only', () => {
    expect(conditionThresholdLines('above', { value: '2,5' }, { metric: undefined, lang: 'en' })).toEqual([
      { value: 2.5, label: 'Threshold 2.5' },
    ]);
    expect(conditionThresholdLines('above', { value: '1500' }, { metric: undefined, lang: 'vi' })).toEqual([
      { value: 1500, label: 'Ngưỡng 1.500' },
    ]);
    expect(conditionThresholdLines('below', { value: '7' }, { metric: undefined, lang: 'en' })).toEqual([
      { value: 7, label: expect.stringContaining('7') },
    ]);
    expect(conditionThresholdLines('below', { value: 'abc' }, { metric: undefined, lang: 'en' })).toEqual([]);
    expect(conditionThresholdLines('above', { value: '' }, { metric: undefined, lang: 'en' })).toEqual([]);
    expect(
      conditionThresholdLines('change', { value: '7', percent: '20', window: '1d', direction: 'drop' }, { metric: undefined, lang: 'en' }),
    ).toEqual([]);
  });
});
