import type { BenchContext, Row } from '../lib/context.js';
import { fanout } from '../lib/fanout.js';
import { latency, ms, ratio } from '../lib/format.js';
import { round } from '../lib/stats.js';

/** A client polling every 2 s sees a change 1 s after it on average, in milliseconds. */
const POLLING_AVERAGE_MS = 1000;

/**
 * Step transition committed -> event written to each of 1,000 subscribers' sockets, by the
 * service's own histogram; beside it the same path to the client (the bench process), which adds
 * the kernel and the load generator's own event loop.
 */
export async function eventLatencyScenario(context: BenchContext): Promise<Row> {
  const { latencySubscribers: subscribers, latencyTenants: tenants } = context.sizes;
  const result = await fanout(context, subscribers, tenants);
  const complete = result.delivered === result.expected && result.outOfOrder === 0;
  const { server } = result;
  return {
    figure: `step transition committed -> written to the socket (server) and received (client), ${subscribers} subscribers`,
    target: 'server p99 <= 20 ms',
    measured:
      `server p50 ${ms(server.p50)}, p99 ${ms(server.p99)}; client ${latency(result.latency)} ` +
      `(${result.delivered}/${result.expected} deliveries${complete ? '' : ', INCOMPLETE'})`,
    pass: complete && server.p99 <= 20,
    anchor:
      `the service's CPU over the burst ${Math.round(result.serviceCpuShare * 100)}% of a core; ` +
      `the load generator's share (client minus server) ~${ms(result.latency.p50 - server.p50)} at p50; ` +
      `polling every 2 s: ~1,000 ms on average, push is ${ratio(POLLING_AVERAGE_MS / result.latency.p50)} sooner at p50`,
    details: {
      ...result,
      subscribers,
      tenants,
      pollingRatioAtP50: round(POLLING_AVERAGE_MS / result.latency.p50, 1),
    },
  };
}
