import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pinnedLookup, type ResolvedTarget } from '../address-policy.js';

/** Of a response body, at most this much is read: a receiver cannot make us hold more. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpAnswer {
  status: number;
  statusText: string;
  retryAfter: string | undefined;
  /** The start of the body, at most MAX_RESPONSE_BYTES. */
  body: Buffer;
}

/**
 * POSTs `body` to the target, connecting only to its checked addresses. Redirects are never
 * followed (node:http does not): a 3xx is the answer. `signal` bounds the whole exchange,
 * body included.
 */
export function post(target: ResolvedTarget, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<HttpAnswer> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target.addresses) as never,
        signal,
        // A connection of our own per attempt: no pooled socket outlives the address check it was made under.
        agent: false,
      },
      (response) => {
        readCapped(response).then(
          (start) => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', retryAfter: header(response, 'retry-after'), body: start }),
          reject,
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function readCapped(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the response: the rest is never read.
    if (size >= MAX_RESPONSE_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
