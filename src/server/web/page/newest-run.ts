import type { Run } from './use-run.js';

/**
 * The newer of two states of a tenant's run. Queries, replayed events and live events may answer
 * out of order; lastEventSeq (per tenant, across its runs) says which state follows which.
 */
export function newestRun(current: Run | null, next: Run | null): Run | null {
  if (!current || !next) return next ?? current;
  return current.lastEventSeq > next.lastEventSeq ? current : next;
}
