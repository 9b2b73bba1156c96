import { ADMIN_EMAIL, ADMIN_PASSWORD } from './service.js';
import { graphqlOk } from './graphql.js';

/** The operations the suites share, in one place. */
export const PROVISIONING_FIELDS = `
  id tenantId status progress currentStep runningSteps queuePosition stepsCompleted totalSteps lastEventSeq resources
  steps { key index status attempts error errorCode skippable criticality }
  errors { step code message }
`;

export const EVENT_FIELDS = `seq tenantId runId type step message at provisioning { status progress lastEventSeq currentStep runningSteps }`;

export async function loginAs(graphqlUrl: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<string> {
  const data = await graphqlOk<{ login: { token: string } }>(
    graphqlUrl,
    `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password },
  );
  return data.login.token;
}

let counter = 0;

export function tenantInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return {
    name: `Tenant ${unique}`,
    adminEmail: `owner-${unique}@tenant.test`,
    adminName: 'Olive Owner',
    adminPassword: 'tenant-admin-password',
    countryCode: 'KE',
    ...overrides,
  };
}

export async function createTenant(graphqlUrl: string, token: string, overrides: Record<string, unknown> = {}) {
  const input = tenantInput(overrides);
  const data = await graphqlOk<{ createTenant: { id: string; name: string; slug: string } }>(
    graphqlUrl,
    `mutation Create($input: CreateTenantInput!) { createTenant(input: $input) { id name slug } }`,
    { input },
    token,
  );
  return { ...data.createTenant, input };
}
