/**
 * Stand-in for k6/http: records each request (with the tags k6 would put on its http_req_duration sample) and answers
 * it with the state's `respond`. Responses carry what the scripts read of k6's: status, body, error, json().
 */
import { DURATION } from '../support/k6-rules';
import { checkTags, k6, type HttpCall, type StubAnswer } from './state';

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string;
}

class Response {
  readonly status: number;
  readonly body: string | null;
  readonly error: string;
  constructor(answer: StubAnswer) {
    this.status = answer.status;
    this.body = answer.body ?? null;
    this.error = answer.error ?? '';
  }
  json(): unknown {
    if (this.body === null) throw new Error('the response has no body');
    return JSON.parse(this.body);
  }
}

function request(method: HttpCall['method'], url: string, body: string | null, params: Params = {}): Response {
  const state = k6();
  if (state.phase === 'init') throw new Error(`${method} ${url} in the init context: k6 only makes requests from VU code`);
  if (!/^https?:\/\//.test(url)) throw new Error(`${method} ${url}: not an absolute http(s) URL`);
  if (params.timeout !== undefined && !DURATION.test(params.timeout))
    throw new Error(`${method} ${url}: timeout "${params.timeout}" is not a duration`);
  const tags = checkTags(params.tags, `${method} ${url}`);
  const call: HttpCall = { method, url, body, headers: params.headers ?? {}, tags, timeout: params.timeout };
  state.requests.push(call);
  const answer = state.respond(call);
  // k6's own samples of the request: name defaults to the URL, status and method are system tags
  const sampleTags = { name: url, ...tags, method, status: String(answer.status), scenario: state.exec.scenario.name };
  state.metrics.get('http_req_duration')?.samples.push({ value: 1, tags: sampleTags });
  return new Response(answer);
}

export function get(url: string, params?: Params): Response {
  return request('GET', url, null, params);
}

export function post(url: string, body: string | null, params?: Params): Response {
  return request('POST', url, body, params);
}

export default { get, post };
