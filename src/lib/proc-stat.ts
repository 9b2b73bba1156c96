import { readFileSync } from 'node:fs';

/**
 * The fields of `/proc/<pid>/stat` after the command name, from `state` on (proc(5) numbers
 * them from 3: the parent pid is [1], utime and stime [11] and [12]); undefined when the process
 * is gone or this is not Linux. The command name is in parentheses and may itself hold spaces and
 * parentheses, so the fields start after the last `)`.
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
