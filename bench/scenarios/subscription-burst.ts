import type { BenchContext, Row } from '../lib/context.js';
import { fanout } from '../lib/fanout.js';
import { latency } from '../lib/format.js';
import { HeapMeter, heapOfPeak } from '../lib/heap.js';
import { RssMeter } from '../lib/rss.js';

/** The service's peak resident memory while it fans the burst out, default heap settings. */
const MAX_RSS_MB = 400;

/**
 * 5,000 open subscriptions (one socket each) in one service process; the burst is every
 * tenant's run starting at the same moment, so each subscription receives its tenant's ~23
 * events while all the others receive theirs.
 */
export async function subscriptionBurstScenario(context: BenchContext): Promise<Row> {
  const { burstSubscribers: subscribers, burstTenants: tenants } = context.sizes;
  const rss = new RssMeter(context.service.child.pid);
  const heap = new HeapMeter(context.service.graphqlUrl.replace(/\/graphql$/, '/metrics'));
  const result = await fanout(context, subscribers, tenants);
  const peakRssMb = rss.stop();
  const heapPeaks = await heap.stop();
  const complete = result.delivered === result.expected && result.outOfOrder === 0;
  return {
    figure: `${subscribers} open subscriptions in one process receiving a burst`,
    target: `every event delivered; p99 <= 250 ms; peak RSS <= ${MAX_RSS_MB} MB`,
    measured: `${result.delivered}/${result.expected} delivered${complete ? '' : ' (INCOMPLETE)'}, ${latency(result.latency)}, peak RSS ${Math.round(peakRssMb)} MB`,
    pass: complete && result.latency.p99 <= 250 && peakRssMb <= MAX_RSS_MB,
    anchor: `${heapOfPeak(heapPeaks)}; ${result.events} events from ${tenants} runs fanned out to ${subscribers} subscribers in ${Math.round(result.wallMs)} ms`,
    details: { ...result, subscribers, tenants, peakRssMb, heapPeaks },
  };
}
