/** How often the service's heap figures are read from GET /metrics, in milliseconds (each read costs the service a scrape). */
const SAMPLE_INTERVAL_MS = 500;

/** prom-client's default process metrics this meter keeps the highest of, in bytes. */
const GAUGES = {
  heapTotal: 'nodejs_heap_size_total_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  external: 'nodejs_external_memory_bytes',
} as const;

export type HeapPeaks = Record<keyof typeof GAUGES, number>;

/**
 * The service's own account of its memory over a scenario, beside the RSS the kernel reports:
 * the highest V8 heap (reserved and in use) and memory held outside it (buffers), in MiB, read
 * from its `/metrics`. What the RSS holds beyond them is code, stacks and the allocator's own.
 */
export class HeapMeter {
  private readonly peaks: HeapPeaks = { heapTotal: 0, heapUsed: 0, external: 0 };
  private readonly timer: NodeJS.Timeout;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly metricsUrl: string) {
    this.timer = setInterval(() => (this.reading = this.sample()), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  private async sample(): Promise<void> {
    try {
      const text = await (await fetch(this.metricsUrl)).text();
      for (const [key, name] of Object.entries(GAUGES) as Array<[keyof HeapPeaks, string]>) {
        const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
        if (match) this.peaks[key] = Math.max(this.peaks[key], Number(match[1]) / 2 ** 20);
      }
    } catch {
      // A read the loaded service did not answer in time: the others still count.
    }
  }

  /** Stops sampling; the peaks in MiB. */
  async stop(): Promise<HeapPeaks> {
    clearInterval(this.timer);
    await this.reading;
    return { ...this.peaks };
  }
}

/** The peaks as the table's anchor shows them. */
export const heapOfPeak = (peaks: HeapPeaks): string =>
  `V8 heap at most ${Math.round(peaks.heapTotal)} MB reserved (${Math.round(peaks.heapUsed)} MB in use), ${Math.round(peaks.external)} MB outside it`;
