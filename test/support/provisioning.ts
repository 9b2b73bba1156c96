import { EVENT_FIELDS, PROVISIONING_FIELDS } from './api.js';
import { sandboxAuthorization, type SandboxAccess } from './engine-sandbox.js';
import { collect, graphqlOk, wsClient } from './graphql.js';

export const RUN_END_TYPES = new Set(['RUN_COMPLETED', 'RUN_FAILED', 'RUN_PARTIAL', 'RUN_CANCELLED']);

export interface EventItem {
  seq: number;
  tenantId: string;
  runId: string | null;
  type: string;
  step: string | null;
  message: string;
  at: string;
  provisioning: { status: string; progress: number; lastEventSeq: number; currentStep: string | null; runningSteps: string[] } | null;
}

export interface StepItem {
  key: string;
  title?: string;
  index: number;
  status: string;
  attempts: number;
  error: string | null;
  errorCode: string | null;
  skippable: boolean;
  criticality: string;
}

export interface ProvisioningItem {
  id: string;
  tenantId: string;
  status: string;
  progress: number;
  currentStep: string | null;
  runningSteps: string[];
  queuePosition: number | null;
  stepsCompleted: number;
  totalSteps: number;
  lastEventSeq: number;
  resources: Record<string, unknown>;
  steps: StepItem[];
  errors: Array<{ step: string; code: string | null; message: string }>;
}

export const EVENTS_SUBSCRIPTION = `subscription Events($tenantId: ID!, $after: Int) {
  provisioningEvents(tenantId: $tenantId, after: $after) { ${EVENT_FIELDS} }
}`;

/**
 * Follows a tenant's events over the WebSocket from `after` until a run ends (the event is the
 * synchronisation: no polling, no sleeping).
 */
export async function followUntilRunEnds(wsUrl: string, token: string, tenantId: string, after: number): Promise<EventItem[]> {
  const client = wsClient(wsUrl, token);
  try {
    return await collect<EventItem>(client, EVENTS_SUBSCRIPTION, { tenantId, after }, (event) => RUN_END_TYPES.has(event.type), 'provisioningEvents');
  } finally {
    await client.dispose();
  }
}

export async function provisioningOf(graphqlUrl: string, token: string, tenantId: string): Promise<ProvisioningItem> {
  const data = await graphqlOk<{ provisioning: ProvisioningItem }>(
    graphqlUrl,
    `query State($tenantId: ID!) { provisioning(tenantId: $tenantId) { ${PROVISIONING_FIELDS} } }`,
    { tenantId },
    token,
  );
  return data.provisioning;
}

export async function eventLog(graphqlUrl: string, token: string, tenantId: string): Promise<EventItem[]> {
  const data = await graphqlOk<{ provisioningLogs: EventItem[] }>(
    graphqlUrl,
    `query Log($tenantId: ID!) { provisioningLogs(tenantId: $tenantId, first: 1000) { ${EVENT_FIELDS} } }`,
    { tenantId },
    token,
  );
  return data.provisioningLogs;
}

export const START = `mutation Start($tenantId: ID!, $input: StartProvisioningInput) {
  startProvisioning(tenantId: $tenantId, input: $input) { ${PROVISIONING_FIELDS} }
}`;
export const RETRY = `mutation Retry($tenantId: ID!, $step: StepKey) { retryProvisioning(tenantId: $tenantId, step: $step) { ${PROVISIONING_FIELDS} } }`;
export const CONTINUE = `mutation Continue($tenantId: ID!) { continueProvisioning(tenantId: $tenantId) { ${PROVISIONING_FIELDS} } }`;
export const SKIP = `mutation Skip($tenantId: ID!, $step: StepKey!, $reason: String) { skipStep(tenantId: $tenantId, step: $step, reason: $reason) { ${PROVISIONING_FIELDS} } }`;
export const CANCEL = `mutation Cancel($tenantId: ID!) { cancelProvisioning(tenantId: $tenantId) { ${PROVISIONING_FIELDS} } }`;

/** The sandbox's test knobs. */
export const sandbox = {
  async faults(target: SandboxAccess, faults: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${target.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sandboxAuthorization(target) },
      body: JSON.stringify(faults),
    });
    if (!response.ok) throw new Error(`sandbox refused faults ${JSON.stringify(faults)}: ${await response.text()}`);
  },
  async state(target: SandboxAccess): Promise<Record<string, Array<Record<string, unknown>>>> {
    const response = await fetch(`${target.url}/__sandbox/state`, { headers: sandboxAuthorization(target) });
    return response.json() as Promise<Record<string, Array<Record<string, unknown>>>>;
  },
};

/** What one tenant owns in the engine, looked up the way an auditor would. */
export function engineResourcesOf(state: Record<string, Array<Record<string, unknown>>>, companyName: string) {
  const companies = state.Company!.filter((doc) => doc.company_name === companyName);
  const abbr = companies[0]?.abbr as string | undefined;
  const profileName = `${companyName} POS`;
  return {
    companies,
    customers: state.Customer!.filter((doc) => doc.customer_name === `Walk-In Customer - ${abbr}`),
    posProfiles: state['POS Profile']!.filter((doc) => doc.name === profileName),
    openEntries: state['POS Opening Entry']!.filter((doc) => doc.pos_profile === profileName && doc.status === 'Open'),
    warehouses: state.Warehouse!.filter((doc) => doc.company === companyName && ['Main Store', 'POS Store'].includes(doc.warehouse_name as string)),
    users: state.User!,
  };
}
