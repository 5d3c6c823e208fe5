/**
 * POST /api/v1/ingest, and what the answer means for the batch: stored, refused for good (dead-letter), or try
 * again later. The decision table lives here, next to the contract it reads.
 */
import {
  ErrorBodySchema,
  INGEST_PATH,
  IngestAcceptedSchema,
  IngestErrorCode,
  IngestErrorDetailSchema,
  type IngestAccepted,
  type IngestBatch,
  type IngestErrorDetail,
} from '@dxoc/contracts';

export type SendOutcome =
  | { kind: 'stored'; status: number; body: IngestAccepted }
  /** the API will never take this batch as it is: dead-letter it (the details may name the points at fault) */
  | { kind: 'refused'; status: number; error: string; message: string; details: IngestErrorDetail[] | null }
  /** not now: the API is down, busy, rate limiting, or the key is refused (which an operator must fix) */
  | { kind: 'retry'; status: number | null; error: string; message: string; retryAfterMs: number | null };

export interface IngestClient {
  /** signal: stop waiting (shutdown); the batch stays queued */
  send(batch: IngestBatch, signal?: AbortSignal): Promise<SendOutcome>;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Statuses that a later attempt of the same batch can change. 401/404 are configuration problems: keep the data until they are fixed. */
const RETRYABLE = new Set([401, 404, 408, 425, 429, 500, 502, 503, 504]);

export function createIngestClient(options: {
  apiUrl: string;
  key: string;
  timeoutMs: number;
  fetch?: FetchLike;
  now?: () => number;
}): IngestClient {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const url = `${options.apiUrl.replace(/\/+$/, '')}${INGEST_PATH}`;
  const now = options.now ?? Date.now;
  return {
    async send(batch, signal) {
      let response: Response;
      let text: string;
      // One controller per request, released afterwards: AbortSignal.any() would leave a listener on the
      // long-lived shutdown signal for every batch ever sent.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), options.timeoutMs);
      const stop = () => controller.abort(new DOMException('stopping', 'AbortError'));
      signal?.addEventListener('abort', stop, { once: true });
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key}` },
          body: JSON.stringify(batch),
          signal: controller.signal,
        });
        text = await response.text();
      } catch (error) {
        return {
          kind: 'retry',
          status: null,
          error: 'unreachable',
          message: `the API at ${options.apiUrl} did not answer (${networkReason(error)})`,
          retryAfterMs: null,
        };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
      }
      const json = parseJson(text);
      if (response.status === 200 || response.status === 202) {
        const accepted = IngestAcceptedSchema.safeParse(json);
        if (accepted.success) return { kind: 'stored', status: response.status, body: accepted.data };
        return {
          kind: 'retry',
          status: response.status,
          error: 'bad_answer',
          message: `the API answered ${response.status} with an unexpected body: ${text.slice(0, 200)}`,
          retryAfterMs: null,
        };
      }
      const body = ErrorBodySchema.safeParse(json);
      const error = body.success ? body.data.error : `http_${response.status}`;
      const message = body.success ? body.data.message : `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      if (RETRYABLE.has(response.status) || response.status >= 500) {
        const hint =
          response.status === 401
            ? ' (fix api.key / api.keyFile and restart the agent; the data waits in the queue)'
            : response.status === 404
              ? ` (is api.url right? POST ${url} answered 404)`
              : '';
        return {
          kind: 'retry',
          status: response.status,
          error,
          message: `${message}${hint}`,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
        };
      }
      const details = body.success ? IngestErrorDetailSchema.array().safeParse(body.data.details) : null;
      return { kind: 'refused', status: response.status, error, message, details: details?.success ? details.data : null };
    },
  };
}

/** The refusals whose details name the offending points, so the rest of the batch can be sent again. */
export function namesPoints(outcome: Extract<SendOutcome, { kind: 'refused' }>): boolean {
  return (
    (outcome.error === IngestErrorCode.invalidBatch || outcome.error === IngestErrorCode.forbiddenUnit) &&
    outcome.details !== null &&
    outcome.details.length > 0 &&
    outcome.details.every((d) => d.index !== null)
  );
}

/** Retry-After is seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function networkReason(error: unknown): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError') return 'timed out';
  if (name === 'AbortError') return 'stopped';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
