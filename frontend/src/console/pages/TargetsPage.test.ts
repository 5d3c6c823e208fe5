import { TargetInput } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import { zodFieldErrors } from '../form-errors';
import { draftToTargetInput, type TargetDraft } from './TargetsPage';

const draft: TargetDraft = {
  metricCode: 'dvc.level4_share',
  unitCode: '79',
  value: ' 85,5 ',
  comparator: '>=',
  deadline: ' 2027-12-31 ',
  legalSourceVi: '  Kế hoạch 123/KH-UBND ',
  legalSourceEn: ' Plan 123/KH-UBND',
};

describe("the target form's draft → TargetInput", () => {
  it('reads a decimal comma, trims the texts, and is a valid input', () => {
    const input = draftToTargetInput(draft);
    expect(input).toEqual({
      metricCode: 'dvc.level4_share',
      unitCode: '79',
      value: 85.5,
      comparator: '>=',
      deadline: '2027-12-31',
      legalSourceVi: 'Kế hoạch 123/KH-UBND',
      legalSourceEn: 'Plan 123/KH-UBND',
    });
    expect(TargetInput.safeParse(input).success).toBe(true);
  });

  it("drops an edited target's id and other stored fields, which the strict input would refuse", () => {
    const stored = { id: 7, ...draft, value: '80' } as TargetDraft;
    const input = draftToTargetInput(stored) as Record<string, unknown>;
    expect(input).not.toHaveProperty('id');
    expect(TargetInput.safeParse(input).success).toBe(true);
  });

  it('leaves an empty value missing and a word not a number, each with its own message', () => {
    const empty = TargetInput.safeParse(draftToTargetInput({ ...draft, value: '  ' }));
    expect(empty.success).toBe(false);
    if (!empty.success) expect(zodFieldErrors(empty.error, 'vi').value).toBe('Bắt buộc nhập');
    const word = TargetInput.safeParse(draftToTargetInput({ ...draft, value: 'tám mươi' }));
    expect(word.success).toBe(false);
    if (!word.success) expect(zodFieldErrors(word.error, 'en').value).toBe('Must be a number');
  });

  it('names a missing deadline and legal source in the chosen language', () => {
    const parsed = TargetInput.safeParse(draftToTargetInput({ ...draft, deadline: '', legalSourceEn: ' ' }));
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const vi = zodFieldErrors(parsed.error, 'vi');
    expect(vi.deadline).toBe('Ngày theo dạng 2026-12-31');
    expect(vi.legalSourceEn).toBe('Bắt buộc nhập');
    expect(zodFieldErrors(parsed.error, 'en').deadline).toBe('A date such as 2026-12-31');
  });
});
