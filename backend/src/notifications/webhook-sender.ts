import { signWebhook } from './crypto';

export interface SendResult {
  ok: boolean;
  /** HTTP status, or null when no answer came (refused, timed out) */
  status: number | null;
  /** a short reason for the delivery log; never carries the secret */
  error: string | null;
}

/**
 * One signed JSON POST (see README "Notifications" for the signature). A 2xx answer is success; anything else is a
 * failure the delivery loop retries with backoff.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  payload: unknown,
  options: { now?: () => number; timeoutMs?: number } = {},
): Promise<SendResult> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor((options.now ?? Date.now)() / 1000);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'dxoc-notifications',
        'x-dxoc-timestamp': String(timestamp),
        'x-dxoc-signature': signWebhook(secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: cause ?? (error as Error).name ?? 'request failed' };
  }
}
