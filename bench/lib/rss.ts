import { readFileSync, writeFileSync } from 'node:fs';

/** How often the resident set of the service is sampled, in milliseconds. */
const SAMPLE_INTERVAL_MS = 100;

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process is gone, or this is not Linux
  }
}

/**
 * Peak RSS of another process over a scenario, from /proc: the kernel's own high-water mark
 * (VmHWM, reset at the start through clear_refs when permitted) and, where the reset is
 * refused, the highest of samples taken every SAMPLE_INTERVAL_MS.
 */
export class RssMeter {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly hwmReset: boolean;

  constructor(private readonly pid: number) {
    this.hwmReset = resetHighWaterMark(pid);
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    this.peakKb = Math.max(this.peakKb, statusKb(this.pid, 'VmRSS'));
  }

  /** Stops sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    const peak = this.hwmReset ? Math.max(this.peakKb, statusKb(this.pid, 'VmHWM')) : this.peakKb;
    return peak / 1024;
  }
}

function resetHighWaterMark(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // "5": reset the peak RSS (proc(5))
    return true;
  } catch {
    return false;
  }
}
