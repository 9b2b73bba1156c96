import { execFileSync } from 'node:child_process';
import { procStatFields } from '../../src/lib/proc-stat.js';

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (user + system, all threads) a process of this machine has used, in milliseconds; 0 once it is gone. */
export function processCpuMs(pid: number): number {
  const fields = procStatFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND : 0;
}
