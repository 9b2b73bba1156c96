import { EngineError, isEngineError } from '../../engine/errors.js';

/**
 * One attempt of a step, ended at its deadline whatever the step does: an attempt that ignores
 * its signal cannot hold the run, and whichever deadline fires (the engine request's or the
 * step's), the attempt ends as ENGINE_TIMEOUT, a transient failure that is retried.
 */
export async function withinDeadline<T>(work: (signal: AbortSignal) => Promise<T>, options: { timeoutMs: number; stop: AbortSignal; what: string }): Promise<T> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.stop, deadline]);
  const timedOut = () => new EngineError('ENGINE_TIMEOUT', `${options.what} did not finish within its ${options.timeoutMs} ms deadline`);
  let onDeadline: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    // A turn later: an engine call aborted by the same deadline says more (which request, which site).
    onDeadline = () => setImmediate(() => reject(timedOut()));
    deadline.addEventListener('abort', onDeadline, { once: true });
  });
  try {
    return await Promise.race([work(signal), expired]);
  } catch (error) {
    if (deadline.aborted && !isEngineError(error)) throw timedOut();
    throw error;
  } finally {
    deadline.removeEventListener('abort', onDeadline!);
    expired.catch(() => undefined);
  }
}
