/**
 * The console's calls to /api/v1/directives, beside lib/api.ts's Api (through its public request/get) so that this
 * page's calls live with it. The attachment goes up as the raw body and comes down as a blob: both need the same
 * bearer token as every other call, which a plain link could not send.
 */
import type { DirectiveAnswerInput, DirectiveCloseInput, DirectiveDetail, DirectiveInput, DirectiveList } from '@dxoc/contracts';
import { ApiError, type Api } from '../lib/api';

const base = '/api/v1/directives';
const one = (id: number) => `${base}/${encodeURIComponent(String(id))}`;
const unitPath = (id: number, unit: string) => `${one(id)}/units/${encodeURIComponent(unit)}`;

export function listDirectives(api: Api, query: Record<string, string | number>, signal?: AbortSignal) {
  return api.get<DirectiveList>(base, query, signal);
}
export function getDirective(api: Api, id: number, signal?: AbortSignal) {
  return api.get<DirectiveDetail>(one(id), undefined, signal);
}
export function issueDirective(api: Api, input: DirectiveInput) {
  return api.request<DirectiveDetail>('POST', base, input);
}
export function answerDirective(api: Api, id: number, unit: string, input: DirectiveAnswerInput) {
  return api.request<DirectiveDetail>('POST', `${unitPath(id, unit)}/answer`, input);
}
export function returnDirective(api: Api, id: number, unit: string, reason: string) {
  return api.request<DirectiveDetail>('POST', `${unitPath(id, unit)}/return`, { reason });
}
export function closeDirective(api: Api, id: number, unit: string, input: DirectiveCloseInput) {
  return api.request<DirectiveDetail>('POST', `${unitPath(id, unit)}/close`, input);
}
export function withdrawDirective(api: Api, id: number, reason?: string) {
  return api.request<DirectiveDetail>('POST', `${one(id)}/withdraw`, reason ? { reason } : {});
}

function authHeaders(api: Api): Record<string, string> {
  const token = api.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function failure(response: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; details?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // a proxy's own 413 page is not JSON
  }
  return new ApiError(response.status, body.error ?? 'unknown', body.message ?? `${response.status} ${response.statusText}`, body.details);
}

/** PUT the file itself as the body; the server reads its type from its first bytes. */
export async function uploadAttachment(api: Api, id: number, unit: string, file: File, contentType: string): Promise<DirectiveDetail> {
  const response = await fetch(`${unitPath(id, unit)}/attachment?fileName=${encodeURIComponent(file.name)}`, {
    method: 'PUT',
    headers: { ...authHeaders(api), Accept: 'application/json', 'Content-Type': contentType },
    body: file,
    credentials: 'same-origin',
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as DirectiveDetail;
}

/** GET the file with the session's token and hand it to the browser as a download under its own name. */
export async function downloadAttachment(api: Api, id: number, unit: string, fileName: string): Promise<void> {
  const response = await fetch(`${unitPath(id, unit)}/attachment`, { headers: authHeaders(api), credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
