import { useEffect, useState } from 'react';
import { errorMessage } from './session.js';

/**
 * Feeds every item of a live async iterator to `onItem` while the component is mounted (or
 * until `key` changes); the iterator's signal closes its socket on unmount. Returns the error
 * that ended the stream, if any.
 */
export function useEventStream<T>(key: string | undefined, open: (signal: AbortSignal) => AsyncIterable<T>, onItem: (item: T) => void): string | undefined {
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!key) return undefined;
    const controller = new AbortController();
    setError(undefined);
    (async () => {
      try {
        for await (const item of open(controller.signal)) onItem(item);
      } catch (failure) {
        if (!controller.signal.aborted) setError(errorMessage(failure));
      }
    })();
    return () => controller.abort();
    // `open` and `onItem` are read once per key: the stream must not restart on every render.
  }, [key]);
  return error;
}
