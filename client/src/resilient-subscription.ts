import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { Channel } from './channel.js';
import { closeError, disconnected, isCloseEvent, reconnectsAfter } from './close-codes.js';
import { fromGraphQLErrors, type GraphQLErrorShape } from './errors.js';
import { authorizationValue, resolveToken, type TokenSource } from './token.js';
import type { TypedDocumentNode } from './typed-document-node.js';

export interface SubscriptionOptions {
  /** The GraphQL endpoint, http(s):// or ws(s)://; the WebSocket is at the same path. */
  url: string;
  token?: TokenSource | undefined;
  /** A WebSocket class where the runtime has none (`ws` on Node before 22); default: the global one. */
  webSocketImpl?: unknown;
  /** Ends the subscription (the iterator finishes) and closes its socket. */
  signal?: AbortSignal | undefined;
  reconnect?: ReconnectPolicy | undefined;
}

export interface ReconnectPolicy {
  /** Failed connection attempts in a row before the iterator throws (DISCONNECTED). Default 30. */
  attempts?: number | undefined;
  /** Delay before the first reconnect, in milliseconds; doubles per failure, jittered. Default 250. */
  initialDelayMs?: number | undefined;
  /** Upper bound of that delay, in milliseconds. Default 5000. */
  maxDelayMs?: number | undefined;
}

const DEFAULT_RECONNECT = { attempts: 30, initialDelayMs: 250, maxDelayMs: 5000 };

/** What a resilient subscription hands out: data, or the news that it had to subscribe again. */
export type SubscriptionItem<Data> = { data: Data } | { resubscribed: true };

/**
 * A subscription that survives disconnects. graphql-ws's own retry loop reconnects (with this
 * policy's backoff, for the close codes in close-codes.ts) and subscribes again with the same
 * payload, whose `variables` are read afresh each time, so the caller resumes where it stopped.
 * GraphQL errors and closes that reconnecting cannot cure end it with a ProvisioningApiError.
 */
export async function* resilientSubscription<Data, Vars extends Record<string, unknown>>(
  options: SubscriptionOptions,
  document: TypedDocumentNode<Data, Vars>,
  variables: () => Vars,
): AsyncGenerator<SubscriptionItem<Data>, void, undefined> {
  const policy = withDefaults(options.reconnect);
  const items = new Channel<SubscriptionItem<Data>>();
  // Ends backoff waits and the iterator at once, whether the caller aborts or stops iterating.
  const stopping = new AbortController();
  const stopped = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
  if (stopped.aborted) return;
  stopped.addEventListener('abort', () => items.finish(), { once: true });

  const client = reconnectingClient(options, policy, stopped, () => items.push({ resubscribed: true }));
  const payload = {
    query: print(document),
    // A getter: graphql-ws sends this same payload again after every reconnect, and each time it must carry the caller's position then.
    get variables() {
      return variables();
    },
  };
  let unsubscribe = () => {};
  const subscribe = () => {
    unsubscribe = client.subscribe<Data>(payload, {
      next: (result) => (result.errors?.length ? items.fail(fromGraphQLErrors(result.errors as ReadonlyArray<GraphQLErrorShape>)) : items.push({ data: result.data as Data })),
      error: (failure) => {
        // The server ended only this subscription because we read too slowly: subscribing again
        // from where we are loses nothing (the service replays from `after`).
        if (isTooSlow(failure) && !stopped.aborted) {
          items.push({ resubscribed: true });
          subscribe();
          return;
        }
        items.fail(subscriptionError(failure, policy.attempts));
      },
      complete: () => items.finish(),
    });
  };
  subscribe();
  try {
    for await (const item of items) {
      if (stopped.aborted) return;
      yield item;
    }
  } finally {
    stopping.abort();
    unsubscribe();
    try {
      await client.dispose();
    } catch {
      // It rejects when it interrupts a reconnect in progress, which is exactly what stopping means.
    }
  }
}

/** graphql-ws's client, its retry loop run by the policy and the close-code table; `onReconnected` hears of every connection after the first. */
function reconnectingClient(options: SubscriptionOptions, policy: typeof DEFAULT_RECONNECT, stopped: AbortSignal, onReconnected: () => void): Client {
  let connections = 0;
  return createClient({
    url: toWebSocketUrl(options.url),
    webSocketImpl: options.webSocketImpl,
    connectionParams: async () => authorizationValue(await resolveToken(options.token)),
    lazy: true,
    retryAttempts: policy.attempts,
    retryWait: (retries) => delay(backoffMs(policy, retries), stopped),
    // Errors thrown by our own code (a token function, say) are not cured by reconnecting; network failures may be.
    shouldRetry: (failure) => (isCloseEvent(failure) ? reconnectsAfter(failure) : !(failure instanceof Error)),
    on: {
      connected: () => {
        connections += 1;
        if (connections > 1) onReconnected();
      },
    },
  });
}

function isTooSlow(failure: unknown): boolean {
  return Array.isArray(failure) && (failure as GraphQLErrorShape[]).some((error) => error.extensions?.code === 'SUBSCRIBER_TOO_SLOW');
}

/** Why graphql-ws ended the subscription, as the error the iterator throws. */
function subscriptionError(failure: unknown, attempts: number): unknown {
  if (Array.isArray(failure)) return fromGraphQLErrors(failure as GraphQLErrorShape[]);
  if (isCloseEvent(failure)) return closeError(failure, attempts);
  if (failure instanceof Error) return failure;
  return disconnected(attempts);
}

function withDefaults(policy: ReconnectPolicy = {}) {
  return {
    attempts: policy.attempts ?? DEFAULT_RECONNECT.attempts,
    initialDelayMs: policy.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs,
    maxDelayMs: policy.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
  };
}

/** Exponential in the retries so far, capped, with the upper half jittered so clients spread out. */
function backoffMs(policy: typeof DEFAULT_RECONNECT, retries: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retries);
  return exponential / 2 + Math.random() * (exponential / 2);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function toWebSocketUrl(url: string): string {
  return url.replace(/^http(s?):\/\//, 'ws$1://');
}

export function toHttpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}
