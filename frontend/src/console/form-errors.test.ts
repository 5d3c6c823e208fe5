import { TargetInput } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import { apiFieldErrors, zodFieldErrors } from './form-errors';

const good = {
  metricCode: 'm',
  unitCode: 'VN',
  value: 80,
  comparator: '>=',
  deadline: '2026-12-31',
  legalSourceVi: 'QĐ 06',
  legalSourceEn: 'Decision 06',
};

function errorsOf(input: unknown, lang: 'vi' | 'en') {
  const result = TargetInput.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return zodFieldErrors(result.error, lang);
}

describe('zodFieldErrors', () => {
  it('says what is wrong with each field in Vietnamese, never "Invalid input"', () => {
    const errors = errorsOf({ ...good, value: 'x', deadline: '31/12/2026', legalSourceVi: '', comparator: '=' }, 'vi');
    expect(errors).toEqual({
      value: 'Phải là một số',
      deadline: 'Ngày theo dạng 2026-12-31',
      legalSourceVi: 'Bắt buộc nhập',
      comparator: 'Chọn một giá trị trong danh sách',
    });
  });
  it('in English when the console is in English', () => {
    expect(errorsOf({ ...good, legalSourceEn: 'x'.repeat(501) }, 'en')).toEqual({ legalSourceEn: 'At most 500 characters' });
  });
  it('a missing field is required', () => {
    const { metricCode: _omit, ...rest } = good;
    expect(errorsOf(rest, 'vi')).toEqual({ metricCode: 'Bắt buộc nhập' });
  });
});

describe('apiFieldErrors', () => {
  it('keeps the first message per field, known ones in Vietnamese', () => {
    expect(
      apiFieldErrors(
        [
          { field: 'metricCode', message: 'unknown metric "zz"' },
          { field: 'metricCode', message: 'second' },
          { field: 'unitCode', message: 'something specific' },
        ],
        'vi',
      ),
    ).toEqual({ metricCode: 'Chỉ tiêu không có trong danh mục', unitCode: 'something specific' });
  });
  it("a silence's refusals (unknown rule, end not in the future) in Vietnamese", () => {
    expect(
      apiFieldErrors(
        [
          { field: 'ruleId', message: 'unknown rule' },
          { field: 'endsAt', message: 'must be in the future' },
        ],
        'vi',
      ),
    ).toEqual({ ruleId: 'Ngưỡng cảnh báo không còn tồn tại', endsAt: 'Phải là thời điểm trong tương lai' });
  });
  it('no details, no field errors', () => {
    expect(apiFieldErrors(undefined, 'vi')).toEqual({});
  });
});
