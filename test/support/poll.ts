/** Thrown by a probe when waiting longer cannot help (a run ended otherwise): ends the wait at once. */
export class GiveUp extends Error {}

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * The tests' one poll: for states that no event announces (a status polled over HTTP, a
 * counter updated after its commit, a process exit). Calls `probe` until it returns something
 * other than undefined, null or false; fails after `timeoutMs` naming `what` and the probe's
 * last error. Waiting on an event is always preferred where there is one.
 */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | null | false>, options: PollOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
