import { describe, expect, it } from 'vitest';
import { checkUserDraft, type UserDraft } from './UsersPage';

const draft: UserDraft = { username: ' hcm.op ', role: 'operator', unitCode: '79', password: 'a long enough password' };

describe("the user form's draft → CreateUserRequest", () => {
  it('trims the name and keeps the unit of an operator', () => {
    expect(checkUserDraft(draft, 'vi')).toEqual({
      ok: true,
      input: { username: 'hcm.op', role: 'operator', unitCode: '79', password: 'a long enough password' },
    });
  });

  it('sends no unit for other roles, whatever the hidden picker held', () => {
    const checked = checkUserDraft({ ...draft, role: 'staff' }, 'vi');
    expect(checked).toMatchObject({ ok: true, input: { role: 'staff', unitCode: null } });
  });

  it('asks an operator for its unit, in the console language', () => {
    expect(checkUserDraft({ ...draft, unitCode: '' }, 'vi')).toEqual({
      ok: false,
      errors: { unitCode: 'Cán bộ đơn vị phải gắn với một đơn vị' },
    });
    expect(checkUserDraft({ ...draft, unitCode: '' }, 'en')).toMatchObject({
      errors: { unitCode: 'A unit operator must be bound to a unit' },
    });
  });

  it('says what a username may hold and how long a password must be, not "Invalid input"', () => {
    const checked = checkUserDraft({ ...draft, username: 'Nguyễn Văn A', password: 'short' }, 'vi');
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.username).toBe('3–64 ký tự: chữ thường a-z, số, dấu chấm, gạch dưới, gạch ngang');
    expect(checked.errors.password).toBe('Tối thiểu 12 ký tự');
    const en = checkUserDraft({ ...draft, username: '', password: '' }, 'en');
    expect(en).toEqual({ ok: false, errors: { username: 'Required', password: 'At least 12 characters' } });
  });
});
