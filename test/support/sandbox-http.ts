/** A tiny HTTP helper for talking to a running sandbox the way the REST client does. */
import type { RunningSandbox } from '../../src/engine/sandbox/index.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface ApiCall {
  body?: unknown;
  /** Replaces the default `token key:secret` header; `null` sends none. */
  authorization?: string | null;
  signal?: AbortSignal;
}

export function sandboxClient(sandbox: RunningSandbox) {
  const token = `token ${sandbox.apiKey}:${sandbox.apiSecret}`;
  async function request(method: string, path: string, call: ApiCall = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const authorization = call.authorization === undefined ? token : call.authorization;
    if (authorization !== null) headers.Authorization = authorization;
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal,
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const body = contentType.includes('application/json') ? (JSON.parse(text) as Record<string, unknown>) : { text };
    return { status: response.status, headers: response.headers, body };
  }
  return {
    request,
    get: (path: string, call?: ApiCall) => request('GET', path, call),
    post: (path: string, body: unknown, call?: ApiCall) => request('POST', path, { ...call, body }),
    put: (path: string, body: unknown, call?: ApiCall) => request('PUT', path, { ...call, body }),
    delete: (path: string, call?: ApiCall) => request('DELETE', path, call),
    resource: (doctype: string, name?: string) =>
      `/api/resource/${encodeURIComponent(doctype)}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`,
    list: (doctype: string, params: Record<string, unknown>) => {
      const query = Object.entries(params)
        .map(([key, value]) => `${key}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`)
        .join('&');
      return `/api/resource/${encodeURIComponent(doctype)}?${query}`;
    },
    faults: (faults: Record<string, unknown>) => request('POST', '/__sandbox/faults', { body: faults }),
    reset: () => request('POST', '/__sandbox/reset'),
    state: async () => (await request('GET', '/__sandbox/state')).body as Record<string, Array<Record<string, unknown>>>,
  };
}

/** `_server_messages` decoded: a JSON list of JSON-encoded message dicts. */
export function serverMessages(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const encoded = body._server_messages;
  if (typeof encoded !== 'string') return [];
  return (JSON.parse(encoded) as string[]).map((message) => JSON.parse(message) as Record<string, unknown>);
}
