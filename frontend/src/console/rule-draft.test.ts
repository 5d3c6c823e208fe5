import { describe, expect, it } from 'vitest';
import {
  draftToInput,
  emptyDraft,
  fieldOf,
  ruleToDraft,
  serverErrors,
  validateDraft,
  withConditionType,
  type ConditionFields,
  type RuleDraft,
} from './rule-draft';

/** A valid draft: below 100 on every province, with `over` on top and `fields` on the condition's inputs. */
const draft = (over: Partial<Omit<RuleDraft, 'condition'>> = {}, fields: ConditionFields = {}): RuleDraft => {
  const base = withConditionType(
    { ...emptyDraft('einvoice.issued', null), name: 'Low e-invoices', condition: { value: '100' } },
    over.conditionType ?? 'below',
  );
  return { ...base, ...over, condition: { ...base.condition, ...fields } };
};

interface Case {
  name: string;
  over: Partial<Omit<RuleDraft, 'condition'>>;
  fields: ConditionFields;
}

describe('threshold editor', () => {
  it.each<Case & { expected: { scope?: unknown; condition?: unknown } }>([
    {
      name: 'below a threshold, every province',
      over: {},
      fields: {},
      expected: { scope: { kind: 'provinces' }, condition: { type: 'below', value: 100 } },
    },
    {
      name: 'listed units, upper-cased',
      over: { scopeKind: 'units', units: '01, 79;bca' },
      fields: {},
      expected: { scope: { kind: 'units', units: ['01', '79', 'BCA'] } },
    },
    {
      name: 'a decimal comma',
      over: { conditionType: 'above' },
      fields: { value: '12,5' },
      expected: { condition: { type: 'above', value: 12.5 } },
    },
    {
      name: 'sudden change',
      over: { conditionType: 'change' },
      fields: { direction: 'rise', percent: '30', window: '2h' },
      expected: { condition: { type: 'change', direction: 'rise', percent: 30, window: '2h' } },
    },
    {
      name: 'no data after',
      over: { conditionType: 'no_data' },
      fields: { after: '2d' },
      expected: { condition: { type: 'no_data', after: '2d' } },
    },
    { name: 'no data at the cadence', over: { conditionType: 'no_data' }, fields: {}, expected: { condition: { type: 'no_data' } } },
    {
      name: 'target at risk',
      over: { conditionType: 'target_at_risk' },
      fields: { targetId: '7' },
      expected: { condition: { type: 'target_at_risk', targetId: 7 } },
    },
    {
      name: 'each unit’s nearest target',
      over: { conditionType: 'target_at_risk' },
      fields: {},
      expected: { condition: { type: 'target_at_risk' } },
    },
  ])('$name', ({ over, fields, expected }) => {
    const input = draftToInput(draft(over, fields));
    expect(input).toMatchObject(expected);
    // only the chosen type's own fields are sent (the schemas are strict)
    expect((input as { condition: unknown }).condition).toEqual(expected.condition ?? { type: 'below', value: 100 });
    expect(validateDraft(draft(over, fields)).errors).toEqual({});
  });

  it.each<Case & { field: string }>([
    { name: 'empty name', over: { name: '' }, fields: {}, field: 'name' },
    { name: 'missing threshold', over: {}, fields: { value: '' }, field: 'value' },
    { name: 'not a number', over: {}, fields: { value: 'abc' }, field: 'value' },
    { name: 'no unit listed', over: { scopeKind: 'units', units: '' }, fields: {}, field: 'units' },
    { name: 'bad duration', over: { for: '5 minutes' }, fields: {}, field: 'for' },
    { name: 'bad window', over: { conditionType: 'change' }, fields: { window: 'x' }, field: 'window' },
    { name: 'negative percent', over: { conditionType: 'change' }, fields: { percent: '-5' }, field: 'percent' },
    { name: 'not a target id', over: { conditionType: 'target_at_risk' }, fields: { targetId: '1.5' }, field: 'targetId' },
    { name: 'empty message', over: { messageEn: '' }, fields: {}, field: 'messageEn' },
  ])('inline error on $field: $name', ({ over, fields, field }) => {
    const { input, errors } = validateDraft(draft(over, fields));
    expect(input).toBeNull();
    expect(errors[field]).toBeTruthy();
  });

  it.each([
    ['condition.value', 'value'],
    ['condition', 'conditionType'],
    ['condition.type', 'conditionType'],
    ['scope.units', 'units'],
    ['scope.units.0', 'units'],
    ['scope', 'scopeKind'],
    ['rule.name', 'name'],
    ['messageVi', 'messageVi'],
  ])('API field %s → form field %s', (path, field) => {
    expect(fieldOf(path)).toBe(field);
  });

  it('the API’s 400 details land on the fields', () => {
    expect(
      serverErrors([{ field: 'condition.value', message: 'above the metric max' }, { field: 'metric', message: 'unknown metric' }, 'junk']),
    ).toEqual({ value: 'above the metric max', metric: 'unknown metric' });
    expect(serverErrors(undefined)).toEqual({});
  });

  it('a saved rule round-trips through the form', () => {
    const input = validateDraft(
      draft({ scopeKind: 'units', units: '79', conditionType: 'change', severity: 'critical' }, { percent: '15', window: '1d' }),
    ).input!;
    const rule = { ...input, id: 5, createdAt: '', createdBy: 'staff1', updatedAt: '' };
    expect(ruleToDraft(rule).condition).toEqual({ direction: 'drop', percent: '15', window: '1d' });
    expect(validateDraft(ruleToDraft(rule)).input).toEqual(input);
  });

  it('a new rule starts below a threshold still to be typed', () => {
    const empty = emptyDraft('einvoice.issued', '79');
    expect(empty).toMatchObject({ conditionType: 'below', condition: { value: '' }, scopeKind: 'units', units: '79' });
    expect(validateDraft({ ...empty, name: 'x' }).errors).toEqual({ value: expect.any(String) });
  });

  it('says what is wrong in the console language, never zod\'s "Invalid input"', () => {
    const empty = emptyDraft('einvoice.issued', '79');
    const { errors } = validateDraft({ ...empty, name: '' }, 'vi');
    expect(errors.name).toBe('Bắt buộc nhập');
    expect(Object.values(errors).join(' ')).not.toMatch(/Invalid input/);
  });

  it('switching the condition type brings its defaults and keeps what was typed', () => {
    const typed = draft({ conditionType: 'above' }, { value: '42' });
    const change = withConditionType(typed, 'change');
    expect(change.conditionType).toBe('change');
    expect(change.condition).toMatchObject({ direction: 'drop', percent: '20', window: '1d' });
    expect(draftToInput(change)).toMatchObject({ condition: { type: 'change', direction: 'drop', percent: 20, window: '1d' } });
    // above ↔ below share the threshold; back to change keeps its edited percent
    const below = withConditionType({ ...change, condition: { ...change.condition, percent: '35' } }, 'below');
    expect(draftToInput(below)).toMatchObject({ condition: { type: 'below', value: 42 } });
    expect(withConditionType(below, 'change').condition.percent).toBe('35');
  });
});
