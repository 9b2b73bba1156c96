import { describe, expect, it } from '@jest/globals';
import { createTenant, tenantInput } from '../support/api.js';
import { errorCode, graphql, graphqlOk } from '../support/graphql.js';
import { serviceForSuite } from '../support/service.js';

const CREATE = `mutation Create($input: CreateTenantInput!) {
  createTenant(input: $input) { id name slug countryCode adminEmail provisioningStatus lastEventSeq createdAt }
}`;

describe('tenants over GraphQL', () => {
  const suite = serviceForSuite();

  it('creates a tenant and reads it back by id', async () => {
    const input = tenantInput({ name: 'Mama Mboga Grocers', category: 'retail' });
    const { createTenant: created } = await graphqlOk<{ createTenant: Record<string, unknown> }>(suite.service.graphqlUrl, CREATE, { input }, suite.token);
    expect(created).toMatchObject({ name: 'Mama Mboga Grocers', slug: 'mama-mboga-grocers', countryCode: 'KE', provisioningStatus: 'NOT_PROVISIONED', lastEventSeq: 0 });

    const { tenant } = await graphqlOk<{ tenant: Record<string, unknown> }>(
      suite.service.graphqlUrl,
      `query One($id: ID!) { tenant(id: $id) { id name adminEmail } }`,
      { id: created.id },
      suite.token,
    );
    expect(tenant).toEqual({ id: created.id, name: 'Mama Mboga Grocers', adminEmail: input.adminEmail });
  });

  it('gives a second tenant of the same name its own slug', async () => {
    const first = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Twin Shop' });
    const second = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Twin Shop' });
    expect(first.slug).toBe('twin-shop');
    expect(second.slug).toMatch(/^twin-shop-[0-9a-f]{6}$/);
  });

  it('pages through tenants in creation order with a stable cursor', async () => {
    const status = 'NOT_PROVISIONED';
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createTenant(suite.service.graphqlUrl, suite.token)).id);
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const page: { tenants: { totalCount: number; edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } =
        await graphqlOk(
          suite.service.graphqlUrl,
          `query Page($after: String, $status: TenantProvisioningStatus) { tenants(first: 2, after: $after, status: $status) {
            totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after, status },
          suite.token,
        );
      totalCount = page.tenants.totalCount;
      seen.push(...page.tenants.edges.map((edge) => edge.node.id));
      if (!page.tenants.pageInfo.hasNextPage) break;
      after = page.tenants.pageInfo.endCursor;
    }
    expect(seen.length).toBe(totalCount);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(-5)).toEqual(ids);
  });

  it.each([
    ['adminEmail', { adminEmail: 'not-an-email' }],
    ['countryCode', { countryCode: 'XX' }],
    ['name', { name: '   ' }],
    ['adminPassword', { adminPassword: 'short' }],
  ])('refuses a bad %s with BAD_USER_INPUT naming the field, and keeps serving', async (field, overrides) => {
    const result = await graphql(suite.service.graphqlUrl, CREATE, { input: tenantInput(overrides) }, suite.token);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toMatch(new RegExp(`^${field}: `));
    expect(result.errors![0]!.extensions!.field).toBe(field);
    const health = await fetch(`${suite.service.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('refuses a second tenant with the same admin email (CONFLICT)', async () => {
    const { input } = await createTenant(suite.service.graphqlUrl, suite.token);
    const result = await graphql(suite.service.graphqlUrl, CREATE, { input: tenantInput({ adminEmail: input.adminEmail.toUpperCase() }) }, suite.token);
    expect(errorCode(result)).toBe('CONFLICT');
  });

  it('answers NOT_FOUND-free null for an unknown tenant id and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await graphqlOk<{ tenant: null }>(suite.service.graphqlUrl, `{ tenant(id: "3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b") { id } }`, {}, suite.token);
    expect(unknown.tenant).toBeNull();
    const malformed = await graphql(suite.service.graphqlUrl, `{ tenant(id: "nope") { id } }`, {}, suite.token);
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
  });
});
