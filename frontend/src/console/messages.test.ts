import { describe, expect, it } from 'vitest';
import { allMessageKeys, translate } from '../lib/i18n';
import { allConsoleMessageKeys, translateConsole } from './messages';

describe('console texts (console/messages.ts)', () => {
  it('every console text exists in both languages', () => {
    for (const key of allConsoleMessageKeys()) {
      expect(translateConsole(key, 'vi'), key).not.toBe('');
      expect(translateConsole(key, 'en'), key).not.toBe('');
    }
  });
  it('the console also translates the texts it shares with the wall, the same way', () => {
    for (const key of allMessageKeys()) {
      expect(translateConsole(key, 'vi'), key).toBe(translate(key, 'vi'));
      expect(translateConsole(key, 'en'), key).toBe(translate(key, 'en'));
    }
  });
  it('no key is in both tables (one text per key)', () => {
    const wall = new Set<string>(allMessageKeys());
    expect(allConsoleMessageKeys().filter((key) => wall.has(key))).toEqual([]);
  });
  it('picks the language', () => {
    expect(translateConsole('console.status', 'vi')).not.toBe(translateConsole('console.status', 'en'));
    expect(translateConsole('lang.switch', 'en')).toBe('Tiếng Việt');
  });
});
