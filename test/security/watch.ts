import type { Client } from 'graphql-ws';

/** A subscription kept open while a test acts, remembering every event it received. */
export interface Watcher<T> {
  readonly events: T[];
  /** The first event (already received or still to come) that matches; rejects if the subscription fails. */
  until(predicate: (event: T) => boolean): Promise<T>;
  stop(): void;
}

export function watch<T>(client: Client, query: string, variables: Record<string, unknown>, key: string): Watcher<T> {
  const events: T[] = [];
  const waiters: Array<{ predicate: (event: T) => boolean; resolve: (event: T) => void; reject: (error: unknown) => void }> = [];
  let failure: unknown;
  const fail = (error: unknown) => {
    failure = error;
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  };
  const dispose = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors?.length) return fail(Object.assign(new Error(value.errors[0]!.message), { errors: value.errors }));
        const event = value.data![key]!;
        events.push(event);
        for (const waiter of [...waiters]) {
          if (!waiter.predicate(event)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      },
      error: fail,
      complete: () => fail(new Error('the subscription completed')),
    },
  );
  return {
    events,
    until(predicate) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
    stop: () => dispose(),
  };
}
