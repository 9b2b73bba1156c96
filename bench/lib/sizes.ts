/**
 * How big each scenario is. Full mode gives the figures quoted in the README; quick mode keeps
 * every scenario (so CI proves the harness works) at sizes that finish in well under 2 minutes.
 */
export interface Sizes {
  /** Concurrent clients sending mutations / status queries. */
  clients: number;
  /** startProvisioning calls timed (one fresh tenant each). */
  starts: number;
  /** retryProvisioning and continueProvisioning calls timed, each (one failed run each). */
  resumes: number;
  /** provisioning(tenantId) queries timed. */
  statusQueries: number;
  /** Subscribers (one WebSocket each) for the event-latency row, and the tenants they watch. */
  latencySubscribers: number;
  latencyTenants: number;
  /** Sequential runs for the overhead and peer rows (after `warmupRuns` not counted). */
  sequentialRuns: number;
  warmupRuns: number;
  /** Tenants provisioned at once. */
  massTenants: number;
  /** Open subscriptions receiving the burst, and the tenants whose runs make the burst. */
  burstSubscribers: number;
  burstTenants: number;
  /** No-op runs started at once on each event bus (NOTIFY, Redis) for the event-bus row. */
  busRuns: number;
  /** Runs of each plan (steps side by side, and one at a time) for the parallel-steps row. */
  planRuns: number;
  /** Longest wait for a batch of runs to finish, in milliseconds. */
  runsTimeoutMs: number;
}

export const FULL: Sizes = {
  clients: 50,
  starts: 500,
  resumes: 200,
  statusQueries: 5000,
  latencySubscribers: 1000,
  latencyTenants: 10,
  sequentialRuns: 50,
  warmupRuns: 5,
  massTenants: 500,
  burstSubscribers: 5000,
  burstTenants: 50,
  busRuns: 500,
  planRuns: 5,
  runsTimeoutMs: 300_000,
};

export const QUICK: Sizes = {
  clients: 50,
  starts: 30,
  resumes: 5,
  statusQueries: 500,
  latencySubscribers: 200,
  latencyTenants: 4,
  sequentialRuns: 5,
  warmupRuns: 1,
  massTenants: 30,
  burstSubscribers: 500,
  burstTenants: 5,
  busRuns: 50,
  planRuns: 1,
  runsTimeoutMs: 60_000,
};
