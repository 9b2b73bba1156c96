import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { fromGraphQLErrors, ProvisioningApiError, type GraphQLErrorShape } from './errors.js';
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
  /** Failed connection attempts in a row before the iterator throws. Default 30. */
  attempts?: number | undefined;
  /** Delay before the first reconnect, in milliseconds; doubles per failure, jittered. Default 250. */
  initialDelayMs?: number | undefined;
  /** Upper bound of that delay, in milliseconds. Default 5000. */
  maxDelayMs?: number | undefined;
}

const DEFAULT_RECONNECT = { attempts: 30, initialDelayMs: 250, maxDelayMs: 5000 };

/** Close codes after which connecting again cannot help: bad request, unauthorized, forbidden. */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4406, 4409, 4429, 4500]);

/** What a resilient subscription hands out: data, or the news that it had to subscribe again. */
export type SubscriptionItem<Data> = { data: Data } | { resubscribed: true };

/**
 * A subscription that survives disconnects: when the socket drops (server restart, network),
 * it reconnects with backoff and subscribes again with fresh `variables()`, so the caller can
 * resume where it stopped. GraphQL errors and auth closes end it with an error.
 */
export async function* resilientSubscription<Data, Vars extends Record<string, unknown>>(
  options: SubscriptionOptions,
  document: TypedDocumentNode<Data, Vars>,
  variables: () => Vars,
): AsyncGenerator<SubscriptionItem<Data>, void, undefined> {
  const policy = withDefaults(options.reconnect);
  const query = print(document);
  let failures = 0;
  for (let attempt = 0; !options.signal?.aborted; attempt += 1) {
    if (attempt > 0) yield { resubscribed: true };
    let connected = false;
    const client = createClient({
      url: toWebSocketUrl(options.url),
      webSocketImpl: options.webSocketImpl,
      connectionParams: async () => authorizationValue(await resolveToken(options.token)),
      lazy: true,
      // Reconnects are this loop's job: each one must subscribe with new variables.
      retryAttempts: 0,
      on: { connected: () => (connected = true) },
    });
    const live = client.iterate<Data>({ query, variables: variables() });
    const stop = () => void live.return?.();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const result of live) {
        if (result.errors?.length) throw fromGraphQLErrors(result.errors as ReadonlyArray<GraphQLErrorShape>);
        yield { data: result.data as Data };
      }
      return; // the server completed the subscription, or the signal ended it
    } catch (error) {
      if (options.signal?.aborted) return;
      const fatal = fatalError(error);
      if (fatal) throw fatal;
      // A socket that was acknowledged and then dropped starts a fresh count.
      failures = connected ? 1 : failures + 1;
      if (failures > policy.attempts) {
        throw new ProvisioningApiError(`Lost the subscription and could not reconnect after ${policy.attempts} attempts.`, 'DISCONNECTED');
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await live.return?.();
      await client.dispose();
    }
    await delay(backoffMs(policy, failures), options.signal);
  }
}

function withDefaults(policy: ReconnectPolicy = {}): typeof DEFAULT_RECONNECT {
  return {
    attempts: policy.attempts ?? DEFAULT_RECONNECT.attempts,
    initialDelayMs: policy.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs,
    maxDelayMs: policy.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
  };
}

/** An error that ends the subscription, or undefined when reconnecting may help. */
function fatalError(error: unknown): Error | undefined {
  if (error instanceof ProvisioningApiError) return error;
  if (Array.isArray(error)) return fromGraphQLErrors(error as GraphQLErrorShape[]);
  if (isCloseEvent(error) && FATAL_CLOSE_CODES.has(error.code)) {
    return new ProvisioningApiError(error.reason || `The server closed the subscription (${error.code}).`, error.code === 4403 ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  }
  return undefined;
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}

function backoffMs(policy: typeof DEFAULT_RECONNECT, failures: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
  return exponential / 2 + Math.random() * (exponential / 2);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function toWebSocketUrl(url: string): string {
  return url.replace(/^http(s?):\/\//, 'ws$1://');
}

export function toHttpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}
