/** The vocabulary of provisioning, shared by the orchestrator, the database and GraphQL. */

export enum StepKey {
  ENGINE_CHECK = 'ENGINE_CHECK',
  ENGINE_USER = 'ENGINE_USER',
  COMPANY = 'COMPANY',
  CHART_OF_ACCOUNTS = 'CHART_OF_ACCOUNTS',
  WAREHOUSES = 'WAREHOUSES',
  SETTINGS = 'SETTINGS',
  DEMO_ITEMS = 'DEMO_ITEMS',
  CUSTOMER = 'CUSTOMER',
  POS_PROFILE = 'POS_PROFILE',
  POS_SESSION = 'POS_SESSION',
  FINALIZE = 'FINALIZE',
  // Deprovisioning (plan/steps/deprovision): DISABLE's three, then REMOVE's in reverse order of creation.
  CLOSE_POS_SESSIONS = 'CLOSE_POS_SESSIONS',
  DISABLE_POS_PROFILE = 'DISABLE_POS_PROFILE',
  DISABLE_ENGINE_USER = 'DISABLE_ENGINE_USER',
  REMOVE_POS_SESSIONS = 'REMOVE_POS_SESSIONS',
  REMOVE_POS_PROFILE = 'REMOVE_POS_PROFILE',
  REMOVE_CUSTOMER = 'REMOVE_CUSTOMER',
  REMOVE_ITEMS = 'REMOVE_ITEMS',
  REMOVE_WAREHOUSES = 'REMOVE_WAREHOUSES',
  REMOVE_COMPANY = 'REMOVE_COMPANY',
  REMOVE_ENGINE_USER = 'REMOVE_ENGINE_USER',
  /**
   * Never planned: how the API shows a step a run stored that this version of the service does
   * not know (stored by a newer version before a rollback, or withdrawn since).
   */
  UNKNOWN = 'UNKNOWN',
}

export enum StepCriticality {
  /** Its failure stops the run: FAILED. */
  CRITICAL = 'CRITICAL',
  /** Its failure is recorded and the run goes on; the run ends PARTIAL. */
  NON_CRITICAL = 'NON_CRITICAL',
  /** Runs only when asked for; otherwise SKIPPED. */
  OPTIONAL = 'OPTIONAL',
}

/** Kept for clients of the first contract: an alias of the template (CUSTOM: FULL_POS). */
export enum ProvisioningType {
  FULL_POS = 'FULL_POS',
  BASIC = 'BASIC',
  CUSTOM = 'CUSTOM',
}

/** What a run sets up: a template picks the steps and their inputs (plan/templates). */
export enum ProvisioningTemplate {
  /** Company, accounts, warehouses and a point of sale ready to sell: the original plan. */
  FULL_POS = 'FULL_POS',
  /** Company, accounts, a main warehouse and settings; no point of sale. */
  BASIC = 'BASIC',
  /** A shop: back store and shop-floor warehouses, a retail catalogue, strict stock settings. */
  RETAIL = 'RETAIL',
  /** Services sold over the counter: one warehouse, service items that hold no stock. */
  SERVICES = 'SERVICES',
}

/** What a run does to the tenant in the engine. */
export enum RunKind {
  /** Sets the tenant up from a template (startProvisioning). */
  PROVISION = 'PROVISION',
  /** Takes down what provisioning set up (deprovisionTenant). */
  DEPROVISION = 'DEPROVISION',
}

/** How far a deprovisioning goes (plan/templates: one deprovisioning template each). */
export enum DeprovisionMode {
  /** Closes the open POS sessions, disables the POS profile and the engine user; the books stay. */
  DISABLE = 'DISABLE',
  /** DISABLE, then deletes what provisioning created, in reverse order, where ERPNext allows it. */
  REMOVE = 'REMOVE',
}

export enum RunStatus {
  PENDING = 'PENDING',
  /** Accepted, waiting for a free slot (ENGINE_MAX_ACTIVE_RUNS, MAX_ACTIVE_RUNS_PER_PROCESS). */
  QUEUED = 'QUEUED',
  /** Accepted, waiting for its `runAt`. */
  SCHEDULED = 'SCHEDULED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

/** Accepted and not ended: a tenant has at most one (a partial unique index says so in the database). */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = [RunStatus.PENDING, RunStatus.QUEUED, RunStatus.SCHEDULED, RunStatus.IN_PROGRESS];

/** Executing under a lease, or to be resumed by a sweep once its lease expired. */
export const EXECUTING_RUN_STATUSES: readonly RunStatus[] = [RunStatus.PENDING, RunStatus.IN_PROGRESS];

/** Accepted, not yet executing: nobody holds a lease on them. */
export const WAITING_RUN_STATUSES: readonly RunStatus[] = [RunStatus.QUEUED, RunStatus.SCHEDULED];

/** A status list for SQL: `status IN ${sqlList(EXECUTING_RUN_STATUSES)}`. */
export const sqlList = (statuses: readonly RunStatus[]) => `(${statuses.map((status) => `'${status}'`).join(', ')})`;

export enum StepStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  RETRYING = 'RETRYING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}

export enum EventType {
  SNAPSHOT = 'SNAPSHOT',
  RUN_QUEUED = 'RUN_QUEUED',
  RUN_STARTED = 'RUN_STARTED',
  RUN_RESUMED = 'RUN_RESUMED',
  STEP_STARTED = 'STEP_STARTED',
  STEP_RETRYING = 'STEP_RETRYING',
  STEP_COMPLETED = 'STEP_COMPLETED',
  STEP_FAILED = 'STEP_FAILED',
  STEP_SKIPPED = 'STEP_SKIPPED',
  RUN_COMPLETED = 'RUN_COMPLETED',
  RUN_PARTIAL = 'RUN_PARTIAL',
  RUN_FAILED = 'RUN_FAILED',
  RUN_CANCELLED = 'RUN_CANCELLED',
}

/** What provisioning created or found in the engine, by kind: the run's `resources`. */
export interface Resources {
  engineUser?: string;
  company?: string;
  abbr?: string;
  currency?: string;
  costCenter?: string;
  writeOffAccount?: string;
  accounts?: number;
  warehouses?: { main: string; pos?: string; more?: string[] };
  settings?: string[];
  items?: string[];
  customer?: string;
  posProfile?: string;
  posOpeningEntry?: string;
}

/** What a run was asked to provision (`ProvisioningRun.config`). */
export interface RunConfig {
  includeDemoData: boolean;
  posStoreEnabled: boolean;
  countryTemplate: string;
  currency: string;
}
