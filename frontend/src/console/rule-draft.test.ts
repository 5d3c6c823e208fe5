import { describe, expect, it } from 'vitest';
import { draftToInput, emptyDraft, fieldOf, ruleToDraft, serverErrors, validateDraft, type RuleDraft } from './rule-draft';

const draft = (over: Partial<RuleDraft> = {}): RuleDraft => ({ ...emptyDraft('einvoice.issued', null), name: 'Low e-invoices', value: '100', ...over });

describe('threshold editor', () => {
  it.each([
    { name: 'below a threshold, every province', over: {}, expected: { scope: { kind: 'provinces' }, condition: { type: 'below', value: 100 } } },
    { name: 'listed units, upper-cased', over: { scopeKind: 'units' as const, units: '01, 79;bca' }, expected: { scope: { kind: 'units', units: ['01', '79', 'BCA'] } } },
    { name: 'a decimal comma', over: { conditionType: 'above' as const, value: '12,5' }, expected: { condition: { type: 'above', value: 12.5 } } },
    { name: 'sudden change', over: { conditionType: 'change' as const, direction: 'rise' as const, percent: '30', window: '2h' }, expected: { condition: { type: 'change', direction: 'rise', percent: 30, window: '2h' } } },
    { name: 'no data after', over: { conditionType: 'no_data' as const, after: '2d' }, expected: { condition: { type: 'no_data', after: '2d' } } },
    { name: 'no data at the cadence', over: { conditionType: 'no_data' as const }, expected: { condition: { type: 'no_data' } } },
    { name: 'target at risk', over: { conditionType: 'target_at_risk' as const, targetId: '7' }, expected: { condition: { type: 'target_at_risk', targetId: 7 } } },
  ])('$name', ({ over, expected }) => {
    expect(draftToInput(draft(over))).toMatchObject(expected);
    expect(validateDraft(draft(over)).errors).toEqual({});
  });

  it.each([
    { name: 'empty name', over: { name: '' }, field: 'name' },
    { name: 'missing threshold', over: { value: '' }, field: 'value' },
    { name: 'not a number', over: { value: 'abc' }, field: 'value' },
    { name: 'no unit listed', over: { scopeKind: 'units' as const, units: '' }, field: 'units' },
    { name: 'bad duration', over: { for: '5 minutes' }, field: 'for' },
    { name: 'bad window', over: { conditionType: 'change' as const, window: 'x' }, field: 'window' },
    { name: 'negative percent', over: { conditionType: 'change' as const, percent: '-5' }, field: 'percent' },
    { name: 'empty message', over: { messageEn: '' }, field: 'messageEn' },
  ])('inline error on $field: $name', ({ over, field }) => {
    const { input, errors } = validateDraft(draft(over));
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
    expect(serverErrors([{ field: 'condition.value', message: 'above the metric max' }, { field: 'metric', message: 'unknown metric' }, 'junk'])).toEqual({ value: 'above the metric max', metric: 'unknown metric' });
    expect(serverErrors(undefined)).toEqual({});
  });

  it('a saved rule round-trips through the form', () => {
    const input = validateDraft(draft({ scopeKind: 'units', units: '79', conditionType: 'change', percent: '15', window: '1d', severity: 'critical' })).input!;
    const rule = { ...input, id: 5, createdAt: '', createdBy: 'staff1', updatedAt: '' };
    expect(validateDraft(ruleToDraft(rule)).input).toEqual(input);
  });
});
