import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { loginAs } from '../support/api.js';
import { errorCode, graphql } from '../support/graphql.js';
import { startTestService, type TestService } from '../support/service.js';

describe('introspection and the depth limit', () => {
  let service: TestService;
  let token: string;

  beforeAll(async () => {
    service = await startTestService({ INTROSPECTION: 'true' });
    token = await loginAs(service.graphqlUrl);
  });
  afterAll(() => service.stop());

  it('answers the standard introspection query that tools send', async () => {
    const result = await graphql<{ __schema: { queryType: { name: string } } }>(service.graphqlUrl, getIntrospectionQuery(), {}, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.__schema.queryType.name).toBe('Query');
  });

  it('refuses a valid query nested deeper than the limit, naming the limit', async () => {
    // `ofType` is the only recursive field of the schema: 20 of them are valid GraphQL, but too deep.
    let selection = 'name';
    for (let i = 0; i < 20; i++) selection = `ofType { ${selection} }`;
    const result = await graphql(service.graphqlUrl, `query Deep { __type(name: "Tenant") { fields { type { ${selection} } } } }`, {}, token);
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors![0]!.message).toMatch(/nested 24 levels deep; the limit is 15/);
  });
});
