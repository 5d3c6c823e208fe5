/**
 * The wall's link to the backend, from the socket's status and a REST probe, and what the wall says about it.
 * Pure: WallApp feeds it the live stream's status, the probe's answer and the last contact; the banner and the
 * dimming of the figures follow from the result.
 */
import type { StreamDeniedReason } from '@dxoc/contracts';
import type { LiveStatus } from './live';
import { formatClock, formatDuration, type Lang } from './format';
import { translate, type MessageKey } from './i18n';

/** What GET /api/v1/health answered last: 'unknown' before any probe. */
export type RestHealth = 'unknown' | 'ok' | 'down';

/**
 * live: the socket is up. connecting: the first connection, not yet made. socketDown: the socket is down but the
 * REST API answers (the panels reload every minute). unreachable: neither answers. denied: the server ended the
 * stream because the wall's credential no longer holds (a revoked viewer token…): it does not come back by itself.
 */
export type WallLink = 'live' | 'connecting' | 'socketDown' | 'unreachable' | 'denied';

export function wallLink(socket: LiveStatus, rest: RestHealth, everConnected: boolean): WallLink {
  if (socket === 'live') return 'live';
  if (socket === 'denied') return 'denied';
  if (rest === 'down') return 'unreachable';
  // before the first connection the socket is only slow; once it was up, a lost socket is reported
  if (socket === 'connecting' && !everConnected) return 'connecting';
  return rest === 'ok' ? 'socketDown' : 'unreachable';
}

/** The wall's figures are dimmed and a banner shown whenever the socket is lost. */
export function isDegraded(link: WallLink): boolean {
  return link === 'socketDown' || link === 'unreachable' || link === 'denied';
}

/** What the wall says for each reason the server gives, and what to do about it. */
const DENIED_TEXT: Record<StreamDeniedReason, { reason: MessageKey; action: MessageKey }> = {
  viewer_token_revoked: { reason: 'denied.viewer_token_revoked', action: 'denied.newToken' },
  session_ended: { reason: 'denied.session_ended', action: 'denied.signIn' },
  session_expired: { reason: 'denied.session_expired', action: 'denied.signIn' },
  user_disabled: { reason: 'denied.user_disabled', action: 'denied.askAdmin' },
  role_changed: { reason: 'denied.role_changed', action: 'denied.signIn' },
  unauthorized: { reason: 'denied.unauthorized', action: 'denied.newToken' },
};

export interface LinkBanner {
  tone: 'warning' | 'critical';
  title: string;
  /** "Số liệu dừng từ 16:42:05 (3 phút 12 giây trước) · đang tự kết nối lại" */
  detail: string;
}

export interface LinkTimes {
  /** the last moment the backend answered (a socket message, a successful probe); null: never */
  lastContact: number | null;
  /** when the socket was lost (socketDown: the REST API still answers, so lastContact is recent) */
  socketLostAt: number | null;
}

/**
 * The banner over the wall for a lost link, null when live. The elapsed time counts up with now. A denied link says
 * why the server ended it (`denied`, the reason it sent) and what to do, and not that it reconnects: it does not.
 */
export function linkBanner(
  link: WallLink,
  times: LinkTimes,
  now: number,
  lang: Lang,
  denied: StreamDeniedReason | null = null,
): LinkBanner | null {
  if (!isDegraded(link)) return null;
  const since = (label: 'link.lastContact' | 'link.liveLost', at: number | null) =>
    at === null
      ? translate(label === 'link.liveLost' ? 'link.noLive' : 'link.noContact', lang)
      : `${translate(label, lang)} ${formatClock(at)} (${formatDuration(Math.max(0, (now - at) / 1000), lang)} ${translate('link.ago', lang)})`;
  if (link === 'denied') {
    const text = DENIED_TEXT[denied ?? 'unauthorized'];
    return {
      tone: 'critical',
      title: translate('link.denied', lang),
      detail: `${translate(text.reason, lang)} · ${since('link.liveLost', times.socketLostAt)} · ${translate('link.frozen', lang)} · ${translate(text.action, lang)}`,
    };
  }
  if (link === 'unreachable')
    return {
      tone: 'critical',
      title: translate('link.unreachable', lang),
      detail: `${since('link.lastContact', times.lastContact)} · ${translate('link.frozen', lang)} · ${translate('link.retrying', lang)}`,
    };
  return {
    tone: 'warning',
    title: translate('link.socketDown', lang),
    detail: `${since('link.liveLost', times.socketLostAt)} · ${translate('link.restOnly', lang)} · ${translate('link.retrying', lang)}`,
  };
}
