import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

/** A GraphQL request over HTTP, as any client would send it. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data of a request that must succeed; throws with the errors otherwise. */
export async function graphqlOk<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The `extensions.code` of the first error (undefined when there was none). */
export function errorCode(result: GraphQLResponse<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export function wsClient(url: string, token?: string, options: { retryAttempts?: number } = {}): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: options.retryAttempts ?? 0,
    lazy: true,
  });
}

/**
 * Collects the events of a subscription until `until` says stop. Resolves with everything
 * received; rejects on a subscription error.
 */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>, until: (item: T, all: T[]) => boolean, key: string): Promise<T[]> {
  const items: T[] = [];
  // graphql-ws may still hand over messages already received after dispose(): they are not ours.
  let done = false;
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      dispose();
      outcome();
    };
    const dispose = client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (value) => {
          if (done) return;
          if (value.errors?.length) return finish(() => reject(Object.assign(new Error(value.errors![0]!.message), { errors: value.errors })));
          const item = value.data![key]!;
          items.push(item);
          if (until(item, items)) finish(() => resolve(items));
        },
        error: (error) => finish(() => reject(error)),
        complete: () => finish(() => resolve(items)),
      },
    );
  });
}
