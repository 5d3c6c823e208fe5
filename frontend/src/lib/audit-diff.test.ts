import { describe, expect, it } from 'vitest';
import { auditDiff, REDACTED } from './audit-diff';

describe('auditDiff', () => {
  it('lists only the fields that changed', () => {
    expect(auditDiff({ value: 80, deadline: '2026-12-31', unitCode: 'VN' }, { value: 90, deadline: '2026-12-31', unitCode: 'VN' })).toEqual(
      [{ field: 'value', before: '80', after: '90' }],
    );
  });
  it('a creation shows every field as new, a deletion every field as gone', () => {
    expect(auditDiff(null, { name: 'wall 1' })).toEqual([{ field: 'name', before: null, after: 'wall 1' }]);
    expect(auditDiff({ name: 'wall 1' }, null)).toEqual([{ field: 'name', before: 'wall 1', after: null }]);
  });
  it('never shows a secret', () => {
    const changes = auditDiff({ passwordHash: 'x', role: 'staff' }, { passwordHash: 'y', role: 'admin', token: 'abc', totpSecret: 's' });
    expect(changes).toEqual([
      { field: 'passwordHash', before: REDACTED, after: REDACTED },
      { field: 'role', before: 'staff', after: 'admin' },
      { field: 'token', before: null, after: REDACTED },
      { field: 'totpSecret', before: null, after: REDACTED },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/abc|"s"/);
  });
  it('nested objects as dotted fields, null shown as a dash', () => {
    expect(auditDiff({ scope: { kind: 'nation' }, unitCode: null }, { scope: { kind: 'units', units: ['01'] }, unitCode: '01' })).toEqual([
      { field: 'scope.kind', before: 'nation', after: 'units' },
      { field: 'scope.units', before: null, after: '["01"]' },
      { field: 'unitCode', before: '—', after: '01' },
    ]);
  });
});
