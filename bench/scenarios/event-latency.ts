import type { BenchContext, Row } from '../lib/context.js';
import { fanout } from '../lib/fanout.js';
import { latency, ratio } from '../lib/format.js';
import { round } from '../lib/stats.js';

/** A client polling every 2 s sees a change 1 s after it on average, in milliseconds. */
const POLLING_AVERAGE_MS = 1000;

/** Step transition committed -> event at a subscribed client, with 1,000 subscribers live. */
export async function eventLatencyScenario(context: BenchContext): Promise<Row> {
  const { latencySubscribers: subscribers, latencyTenants: tenants } = context.sizes;
  const result = await fanout(context, subscribers, tenants);
  const complete = result.delivered === result.expected && result.outOfOrder === 0;
  return {
    figure: `step transition committed -> event at a subscribed client, ${subscribers} subscribers`,
    target: 'p50 <= 10 ms, p99 <= 50 ms',
    measured: `${latency(result.latency)} (${result.delivered}/${result.expected} deliveries${complete ? '' : ', INCOMPLETE'})`,
    pass: complete && result.latency.p50 <= 10 && result.latency.p99 <= 50,
    anchor: `polling every 2 s: ~1,000 ms on average; push is ${ratio(POLLING_AVERAGE_MS / result.latency.p50)} sooner at p50`,
    details: { ...result, subscribers, tenants, pollingRatioAtP50: round(POLLING_AVERAGE_MS / result.latency.p50, 1) },
  };
}
