/** A histogram of the service's GET /metrics: cumulative counts by upper bound (seconds). */
export type Buckets = Map<number, number>;

/** The buckets of `name` with `labels` as the service counts them now. */
export async function histogram(graphqlUrl: string, name: string, labels: string): Promise<Buckets> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'));
  if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
  const buckets: Buckets = new Map();
  const line = new RegExp(`^${name}_bucket\\{(.*)\\} (\\d+)$`);
  for (const text of (await response.text()).split('\n')) {
    const match = line.exec(text);
    if (!match || !match[1]!.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(match[1]!)![1]!;
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(match[2]));
  }
  return buckets;
}

/**
 * The `q` quantile of what was counted between two readings, in milliseconds, interpolated
 * linearly inside its bucket as Prometheus's histogram_quantile does.
 */
export function quantileMs(before: Buckets, after: Buckets, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counted = (bound: number) => after.get(bound)! - (before.get(bound) ?? 0);
  const total = bounds.length ? counted(Infinity) : 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const upper of bounds) {
    const count = counted(upper);
    if (count >= rank) {
      if (upper === Infinity) return lower * 1000;
      return (lower + ((upper - lower) * (rank - below)) / Math.max(1, count - below)) * 1000;
    }
    lower = upper;
    below = count;
  }
  return NaN;
}
