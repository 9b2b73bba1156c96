import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Row } from './context.js';

export interface Machine {
  nproc: number;
  ramGiB: number;
  cpuModel: string;
  node: string;
  platform: string;
}

export function machine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux: os.cpus() is as good as it gets
  }
  return { nproc: cpus().length, ramGiB: Math.round(totalmem() / 2 ** 30), cpuModel, node: process.version, platform: `${process.platform}-${process.arch}` };
}

function verdict(row: Row): string {
  return row.pass === null ? 'n/a' : row.pass ? 'pass' : 'MISS';
}

/** The table as Markdown, so the README can show exactly what was printed. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| figure | target | measured | pass/miss | against the anchor |', '|---|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.figure} | ${row.target} | ${row.measured} | ${verdict(row)} | ${row.anchor} |`);
  return lines.join('\n');
}

export async function writeResults(file: string, body: { mode: string; machine: Machine; startedAt: string; durationS: number; rows: Row[] }): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
}
