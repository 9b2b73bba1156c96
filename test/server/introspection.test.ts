import { describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { errorCode, graphql } from '../support/graphql.js';
import { serviceForSuite } from '../support/service.js';

describe('introspection and the depth limit', () => {
  const suite = serviceForSuite({ INTROSPECTION: 'true' });

  it('answers the standard introspection query that tools send', async () => {
    const result = await graphql<{ __schema: { queryType: { name: string } } }>(suite.service.graphqlUrl, getIntrospectionQuery(), {}, suite.token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.__schema.queryType.name).toBe('Query');
  });

  it('refuses a valid query nested deeper than the limit, naming the limit', async () => {
    // `ofType` is the only recursive field of the schema: 20 of them are valid GraphQL, but too deep.
    let selection = 'name';
    for (let i = 0; i < 20; i++) selection = `ofType { ${selection} }`;
    const result = await graphql(suite.service.graphqlUrl, `query Deep { __type(name: "Tenant") { fields { type { ${selection} } } } }`, {}, suite.token);
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors![0]!.message).toMatch(/depth limit of 15 exceeded, found 24/);
  });
});
