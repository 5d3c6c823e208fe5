import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Catalog } from '../app/catalog';
import type { Api } from '../lib/api';
import type { StreamDeniedReason } from '@dxoc/contracts';
import type { LinkTimes, WallLink } from '../lib/connection';
import type { Lang } from '../lib/format';
import { translate, type MessageKey } from '../lib/i18n';
import type { LiveStatus, LiveStream } from '../lib/live';
import type { AlertStore } from './alert-store';

export interface WallEnv {
  api: Api;
  live: LiveStream;
  lang: Lang;
  scale: number;
  catalog: Catalog;
  alerts: AlertStore;
}

export const WallContext = createContext<WallEnv | null>(null);

/** The wall's link to the backend (WallApp): what it is, and the last contact times, read when shown. */
export interface LinkState {
  link: WallLink;
  times: () => LinkTimes;
  /** why the server ended the live stream, while link is 'denied' */
  denied: StreamDeniedReason | null;
}

export const LinkContext = createContext<LinkState>({
  link: 'connecting',
  times: () => ({ lastContact: null, socketLostAt: null }),
  denied: null,
});

export function useLink(): LinkState {
  return useContext(LinkContext);
}

export function useWall(): WallEnv {
  const env = useContext(WallContext);
  if (!env) throw new Error('useWall outside the wall');
  return env;
}

export function useT(): (key: MessageKey) => string {
  const { lang } = useWall();
  return useMemo(() => (key: MessageKey) => translate(key, lang), [lang]);
}

/** The current time, re-read every intervalMs. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function useLiveStatus(live: LiveStream): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>(live.status);
  useEffect(() => live.onStatus(setStatus), [live]);
  return status;
}

/**
 * A counter that ticks to reload REST data: rarely while the live stream is up (a safety net), every
 * minute while it is down (the wall keeps refreshing without the socket), and at once when the stream comes
 * back after a loss (what was shown while it was down is reloaded, not only what the replay brings).
 */
export function useReload(): number {
  const { live } = useWall();
  const status = useLiveStatus(live);
  const [tick, setTick] = useState(0);
  const previous = useRef(status);
  useEffect(() => {
    if (status === 'live' && previous.current === 'offline') setTick((n) => n + 1);
    previous.current = status;
  }, [status]);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), status === 'live' ? 10 * 60_000 : 60_000);
    return () => clearInterval(timer);
  }, [status]);
  return tick;
}

export function useAlerts(store: AlertStore) {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
