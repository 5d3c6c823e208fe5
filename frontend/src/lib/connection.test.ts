import { describe, expect, it } from 'vitest';
import { isDegraded, linkBanner, wallLink } from './connection';

const NOW = Date.parse('2026-12-05T16:45:30+07:00');

describe('the wall link from the socket and the REST probe', () => {
  it.each([
    ['live', 'unknown', true, 'live'],
    ['live', 'down', true, 'live'],
    ['connecting', 'unknown', false, 'connecting'],
    ['connecting', 'ok', false, 'connecting'],
    // a slow first connection is not an outage, a backend that does not answer is
    ['connecting', 'down', false, 'unreachable'],
    ['offline', 'ok', true, 'socketDown'],
    ['offline', 'down', true, 'unreachable'],
    ['offline', 'unknown', true, 'unreachable'],
    // socket.io reconnecting after a loss reports 'connecting' only before the first connection
    ['connecting', 'ok', true, 'socketDown'],
  ] as const)('socket %s, REST %s, connected before %s → %s', (socket, rest, ever, link) => {
    expect(wallLink(socket, rest, ever)).toBe(link);
  });

  it('dims the wall for both kinds of outage, not while live or starting', () => {
    expect(['live', 'connecting', 'socketDown', 'unreachable'].map((l) => isDegraded(l as never))).toEqual([false, false, true, true]);
  });
});

describe('the banner of a lost link, in Vietnamese first', () => {
  const lastContact = NOW - (3 * 60 + 12) * 1000;
  it('unreachable: critical, the last contact in Viet Nam time and the time since, counting up', () => {
    const banner = linkBanner('unreachable', { lastContact, socketLostAt: lastContact }, NOW, 'vi')!;
    expect(banner.tone).toBe('critical');
    expect(banner.title).toBe('MẤT KẾT NỐI VỚI MÁY CHỦ — SỐ LIỆU KHÔNG ĐƯỢC CẬP NHẬT');
    expect(banner.detail).toBe(
      'Liên lạc cuối lúc 16:42:18 (3 phút 12 giây trước) · các con số đang hiển thị là số liệu cũ · đang tự kết nối lại…',
    );
    const later = linkBanner('unreachable', { lastContact, socketLostAt: lastContact }, NOW + 60_000, 'vi')!;
    expect(later.detail).toContain('(4 phút 12 giây trước)');
  });

  it('socket down but REST answering: a warning, since when the live feed is lost', () => {
    const banner = linkBanner('socketDown', { lastContact: NOW - 5000, socketLostAt: NOW - 90_000 }, NOW, 'vi')!;
    expect(banner.tone).toBe('warning');
    expect(banner.title).toBe('MẤT KÊNH TRỰC TUYẾN — SỐ LIỆU CẬP NHẬT CHẬM');
    expect(banner.detail).toBe('Mất kênh trực tuyến lúc 16:44:00 (1 phút 30 giây trước) · số liệu tải lại mỗi phút · đang tự kết nối lại…');
  });

  it('socket never connected, REST answering: says the live feed has not connected', () => {
    const banner = linkBanner('socketDown', { lastContact: NOW - 5000, socketLostAt: null }, NOW, 'vi')!;
    expect(banner.detail).toBe('Chưa kết nối được kênh trực tuyến · số liệu tải lại mỗi phút · đang tự kết nối lại…');
  });

  it('in English under ?lang=en', () => {
    const banner = linkBanner('unreachable', { lastContact, socketLostAt: null }, NOW, 'en')!;
    expect(banner.title).toBe('SERVER UNREACHABLE — FIGURES ARE NOT UPDATING');
    expect(banner.detail).toBe('Last contact at 16:42:18 (3 min 12 s ago) · the figures shown are old · reconnecting automatically…');
  });

  it('never heard from the server: says so', () => {
    expect(linkBanner('unreachable', { lastContact: null, socketLostAt: null }, NOW, 'vi')!.detail).toMatch(
      /^Chưa liên lạc được với máy chủ · /,
    );
  });

  it('no banner while live or starting', () => {
    expect(linkBanner('live', { lastContact: NOW, socketLostAt: null }, NOW, 'vi')).toBeNull();
    expect(linkBanner('connecting', { lastContact: null, socketLostAt: null }, NOW, 'vi')).toBeNull();
  });
});

describe('the banner of a live feed the server ended (its credential no longer holds)', () => {
  const lostAt = NOW - 20_000;
  it('a denied socket is its own link state, whatever the REST probe says, and dims the wall', () => {
    expect(wallLink('denied', 'ok', true)).toBe('denied');
    expect(wallLink('denied', 'down', false)).toBe('denied');
    expect(isDegraded('denied')).toBe(true);
  });

  it('a revoked viewer token: says so in Vietnamese first, what to do, and not that it reconnects', () => {
    const banner = linkBanner('denied', { lastContact: lostAt, socketLostAt: lostAt }, NOW, 'vi', 'viewer_token_revoked')!;
    expect(banner.tone).toBe('critical');
    expect(banner.title).toBe('KÊNH TRỰC TUYẾN ĐÃ BỊ MÁY CHỦ NGẮT — SỐ LIỆU KHÔNG ĐƯỢC CẬP NHẬT');
    expect(banner.detail).toBe(
      'Mã xem đã bị thu hồi · Mất kênh trực tuyến lúc 16:45:10 (20 giây trước) · các con số đang hiển thị là số liệu cũ · cần quản trị viên cấp mã xem mới',
    );
    const en = linkBanner('denied', { lastContact: lostAt, socketLostAt: lostAt }, NOW, 'en', 'viewer_token_revoked')!;
    expect(en.detail).toMatch(/^Viewer token revoked · .* · ask an administrator for a new viewer token$/);
    expect(en.detail).not.toMatch(/reconnecting/);
  });

  it.each([
    ['session_ended', 'Phiên đăng nhập đã kết thúc', 'hãy đăng nhập lại'],
    ['session_expired', 'Phiên đăng nhập đã hết hạn', 'hãy đăng nhập lại'],
    ['user_disabled', 'Tài khoản đã bị vô hiệu hoá', 'hãy liên hệ quản trị viên'],
    ['role_changed', 'Vai trò của tài khoản đã thay đổi', 'hãy đăng nhập lại'],
    ['unauthorized', 'Mã truy cập không hợp lệ', 'cần quản trị viên cấp mã xem mới'],
  ] as const)('%s → "%s"', (reason, text, action) => {
    const detail = linkBanner('denied', { lastContact: lostAt, socketLostAt: lostAt }, NOW, 'vi', reason)!.detail;
    expect(detail.startsWith(`${text} · `)).toBe(true);
    expect(detail.endsWith(` · ${action}`)).toBe(true);
  });
});
