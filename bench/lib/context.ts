import type { ActivityWatcher } from './client.js';
import type { Sandbox, Service } from './processes.js';
import type { Sizes } from './sizes.js';

/** What every scenario gets: the running children, a token, the activity feed and the sizes of this mode. */
export interface BenchContext {
  service: Service;
  sandbox: Sandbox;
  /** The provisioning database, for checks the API does not expose (counts of committed events). */
  databaseUrl: string;
  /** The bench's working directory (temporary), for scenarios that start processes of their own. */
  workDir: string;
  /** The peer's own database on the same cluster. */
  peerDatabaseUrl: string;
  logDir: string;
  /** Under --profile: the node arguments that profile a process of this name. */
  profileArgs?: (name: string) => string[];
  token: string;
  activity: ActivityWatcher;
  sizes: Sizes;
  quick: boolean;
  /** Tenants whose runs completed, reused by read-only scenarios. */
  provisionedTenants: string[];
}

/** One line of the results table. */
export interface Row {
  figure: string;
  target: string;
  /** The figures as printed, e.g. "p50 3.1 ms, p99 12 ms". */
  measured: string;
  /** null: no target (informational), or the scenario could not run. */
  pass: boolean | null;
  /** The comparison with the anchor, as a ratio where there is one. */
  anchor: string;
  /** Everything measured, machine-readable, for the JSON file. */
  details: Record<string, unknown>;
}

export type Scenario = (context: BenchContext) => Promise<Row>;
