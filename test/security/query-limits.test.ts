import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DEFAULT_QUERY_LIMITS } from '../../src/server/graphql/limits.js';
import { createTenant } from '../support/api.js';
import { errorCode, graphql, graphqlOk } from '../support/graphql.js';
import { serviceForSuite } from '../support/service.js';
import { bearer, initSocket } from './sockets.js';

/**
 * Fragments F1..F<levels>, each spreading the one below twice: 2^levels spreads of F0 if
 * expanded. At 40 levels a walk that expands spreads would never end (the old rule took 1.7 s
 * at 22 and doubled per level), so each of these tests fails by timeout where that is so.
 */
const bomb = (levels: number, bottom: string) =>
  `query Bomb { ...F${levels} } ${Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ')} ${bottom}`;

const BOMBS: Array<[string, string]> = [
  ['bottoming in a field', bomb(40, 'fragment F0 on Query { provisioningPlan { key } }')],
  ['bottoming in an unknown fragment', bomb(40, '')],
  ['bottoming in a cycle', bomb(40, 'fragment F0 on Query { ...F40 }')],
];

/** Fields of one response name, side by side and in fragments: graphql-js compares them pairwise. */
const repeats = DEFAULT_QUERY_LIMITS.maxRepeatedField;
const REPEATED: Array<[string, string, number]> = [
  ['side by side', `{ ${'me { id } '.repeat(repeats + 1)}}`, repeats + 1],
  ['spread from 17 fragments', `{ ${Array.from({ length: 17 }, (_, i) => `...A${i}`).join(' ')} } ${Array.from({ length: 17 }, (_, i) => `fragment A${i} on Query { me { id } }`).join(' ')}`, 17],
  ['in inline fragments', `{ ${'... on Query { me { id } } '.repeat(repeats + 1)}}`, repeats + 1],
];

/** A page of provisioning log events: eleven fields for each of `first` events. */
const logsPage = (alias: string, first = '1000') => `${alias}: provisioningLogs(tenantId: $id, first: ${first}) { seq type step message at tenantId runId provisioning { status progress } }`;
const LOGS_PAGE_COST = 1000 * 11;

async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, bytes: text.length, body: JSON.parse(text) as { errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

describe('query limits: bounded validation, cost per request', () => {
  const suite = serviceForSuite();

  it.each(BOMBS)('refuses a 40-level fragment bomb %s over HTTP, without a token, as a validation failure', async (_name, query) => {
    const answer = await post(suite.service.graphqlUrl, { query });
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    // The service still answers at once afterwards.
    expect((await graphqlOk<{ provisioningPlan: unknown[] }>(suite.service.graphqlUrl, '{ provisioningPlan { key } }', {}, suite.token)).provisioningPlan).toHaveLength(11);
  });

  it.each(BOMBS)('refuses a 40-level fragment bomb %s over the WebSocket with an error message', async (_name, query) => {
    const socket = await initSocket(suite.service.wsUrl, bearer(suite.token));
    socket.send({ id: 'bomb', type: 'subscribe', payload: { query } });
    const refused = await socket.next();
    expect(refused).toMatchObject({ id: 'bomb', type: 'error' });
    expect((refused.payload as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    socket.close();
  });

  it.each(REPEATED)('refuses a field repeated %s past the limit, before validation, on HTTP and the WebSocket', async (_name, query, times) => {
    const says = new RegExp(`"me" is selected ${times} times in one selection set; the limit is ${repeats}\\.`);
    const answer = await post(suite.service.graphqlUrl, { query });
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(answer.body.errors![0]!.message).toMatch(says);

    const socket = await initSocket(suite.service.wsUrl, bearer(suite.token));
    socket.send({ id: 'repeated', type: 'subscribe', payload: { query } });
    const refused = await socket.next();
    expect((refused.payload as Array<{ message: string; extensions: { code: string } }>)[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect((refused.payload as Array<{ message: string }>)[0]!.message).toMatch(says);
    socket.close();
  });

  it('refuses repeated fields in a GET query and in one operation of a batch', async () => {
    const query = REPEATED[0]![1];
    const get = await fetch(`${suite.service.graphqlUrl}?query=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${suite.token}` } });
    expect(get.status).toBe(400);
    const batch = await post(suite.service.graphqlUrl, [{ query: '{ provisioningPlan { key } }' }, { query }], suite.token);
    expect({ status: batch.status, code: batch.body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('counts list sizes: `first` (literal, variable or default) multiplies the cost of what it selects', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const one = await graphql(suite.service.graphqlUrl, `query One($id: ID!) { ${logsPage('a')} }`, { id: tenant.id }, suite.token);
    expect(one.errors).toBeUndefined();

    const aliases = Math.ceil(DEFAULT_QUERY_LIMITS.maxCost / LOGS_PAGE_COST) + 1;
    const many = (first: string) => Array.from({ length: aliases }, (_, i) => logsPage(`a${i}`, first)).join(' ');
    for (const [query, variables] of [
      [`query Pages($id: ID!) { ${many('1000')} }`, { id: tenant.id }],
      [`query Pages($id: ID!, $n: Int!) { ${many('$n')} }`, { id: tenant.id, n: 1000 }],
    ] as const) {
      const refused = await graphql(suite.service.graphqlUrl, query, variables, suite.token);
      expect(errorCode(refused)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.errors![0]!.message).toMatch(new RegExp(`^Pages costs \\d+; the limit is ${DEFAULT_QUERY_LIMITS.maxCost} `));
    }
  });

  it('bounds a whole batch: operations each within the limit are refused together when their sum is not', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const operation = { query: `query Page($id: ID!) { ${logsPage('a')} }`, variables: { id: tenant.id } };
    const fitting = Math.floor(DEFAULT_QUERY_LIMITS.maxCost / LOGS_PAGE_COST);
    const allowed = await post(suite.service.graphqlUrl, Array(fitting).fill(operation), suite.token);
    expect(allowed.status).toBe(200);

    // The probe: ten operations of many aliased 1000-event pages each.
    const probe = { query: `query Probe($id: ID!) { ${Array.from({ length: 4 }, (_, i) => logsPage(`a${i}`)).join(' ')} }`, variables: { id: tenant.id } };
    const refused = await post(suite.service.graphqlUrl, Array(10).fill(probe), suite.token);
    expect({ status: refused.status, code: refused.body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(refused.body.errors![0]!.message).toMatch(new RegExp(`^This batch costs \\d+; the limit is ${DEFAULT_QUERY_LIMITS.maxCost} `));
    expect(refused.bytes).toBeLessThan(1024);
  });

  it('still answers the SDK\'s costliest operation: a full 1000-event log page', async () => {
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token);
    const document = ['queries', 'fragments'].map((file) => readFileSync(`client/operations/${file}.graphql`, 'utf8')).join('\n');
    const answer = await post(suite.service.graphqlUrl, { query: document, operationName: 'ProvisioningLogs', variables: { tenantId: tenant.id, first: 1000 } }, suite.token);
    expect(answer.body.errors).toBeUndefined();
  });
});
