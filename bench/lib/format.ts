import type { Summary } from './stats.js';
import { round } from './stats.js';

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${Math.round(value)} ms` : `${round(value, value >= 10 ? 1 : 2)} ms`;
}

export function latency(summary: Summary): string {
  return `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}`;
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10 ? `${Math.round(value)}x` : `${round(value, 2)}x`;
}
