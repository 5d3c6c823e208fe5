import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://dxoc:secret@db.example:5432/dxoc?sslmode=require', 'DATABASE_URL')).toBe(
      'postgres://dxoc:***@db.example:5432/dxoc?sslmode=require',
    );
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('postgres://dxoc@127.0.0.1/dxoc', 'DATABASE_URL')).toBe('postgres://dxoc@127.0.0.1/dxoc');
  });

  it('names the fallback instead of echoing what is no URL', () => {
    expect(redactUrl('host=db password=secret', 'the configured database')).toBe('the configured database');
  });
});
