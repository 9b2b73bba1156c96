import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_QUERY_LIMITS } from '../../src/server/graphql/limits.js';
import { createTenant, loginAs, tenantInput } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { startTestService, type TestService } from '../support/service.js';
import { bearer, initSocket } from './sockets.js';
import { FORGED_TOKEN_NAMES, forgedTokens, TEST_JWT_SECRET, type ForgedTokenName } from './tokens.js';

/** What the corpus needs from the running service, filled in by beforeAll. */
interface Target {
  url: string;
  adminToken: string;
  tenantId: string;
  forged: Record<ForgedTokenName, string>;
}

interface RawRequest {
  method?: 'GET' | 'POST';
  /** Appended to /graphql (for GET). */
  search?: string;
  headers?: Record<string, string>;
  /** Sent as is: a string is not JSON-encoded again. */
  body?: string | object;
  /** Sent as the platform admin unless set (null: no token). */
  token?: string | null;
}

interface Case {
  name: string;
  request: (target: Target) => RawRequest;
  status: number;
  code: string;
  /** Something the message must say (what is wrong, or what to do). */
  says?: RegExp;
  /** The field a BAD_USER_INPUT names. */
  field?: string;
}

const MB = 1024 * 1024;
const op = (query: string, variables: Record<string, unknown> = {}) => ({ query, variables });
const CREATE = `mutation ($input: CreateTenantInput!) { createTenant(input: $input) { id } }`;
const createWith = (overrides: Record<string, unknown>) => () => ({ body: op(CREATE, { input: tenantInput(overrides) }) });
const deep = (levels: number) => `${'{ a '.repeat(levels)}${'}'.repeat(levels)}`;
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: provisioningPlan { key }`).join(' ')} }`;
// 2^20 expansions of one field if nothing stopped the count.
const fragmentBomb = () =>
  `{ ...F20 } fragment F0 on Query { provisioningPlan { key } } ${Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ')}`;
const cursor = (text: string) => Buffer.from(text).toString('base64url');
const TENANTS = `query ($after: String, $first: Int!) { tenants(after: $after, first: $first) { totalCount } }`;
const LOGS = `query ($id: ID!, $after: Int, $first: Int!) { provisioningLogs(tenantId: $id, after: $after, first: $first) { seq } }`;
const START = `mutation ($id: ID!, $input: StartProvisioningInput) { startProvisioning(tenantId: $id, input: $input) { status } }`;
const SKIP = `mutation ($id: ID!, $step: StepKey!, $reason: String) { skipStep(tenantId: $id, step: $step, reason: $reason) { status } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;

const invalidId = (name: string, query: string, id: string): Case => ({
  name,
  request: () => ({ body: op(query, { id }) }),
  status: 200,
  code: 'BAD_USER_INPUT',
  says: /is not a valid id \(expected a UUID/,
});

const tooLong = (field: string, overrides: Record<string, unknown>): Case => ({
  name: `createTenant with ${field} over its length limit`,
  request: createWith(overrides),
  status: 200,
  code: 'BAD_USER_INPUT',
  field,
});

const CORPUS: Case[] = [
  // The HTTP layer: what never reaches GraphQL.
  { name: 'a body that is not JSON', request: () => ({ body: '{"query": "{ me { id } ' }), status: 400, code: 'BAD_REQUEST', says: /not valid JSON/ },
  { name: 'a JSON string instead of an object', request: () => ({ body: '"{ me { id } }"' }), status: 400, code: 'BAD_REQUEST', says: /not valid JSON/ },
  { name: 'a 1 MB query string', request: () => ({ body: op(`{ me { id } } # ${'x'.repeat(MB)}`) }), status: 413, code: 'BAD_REQUEST', says: /too large/ },
  { name: 'a 1 MB string variable', request: () => ({ body: op(LOGIN, { email: 'a@b.c', password: 'p'.repeat(MB) }) }), status: 413, code: 'BAD_REQUEST', says: /too large/ },
  { name: 'a batch of 500 operations', request: () => ({ body: Array.from({ length: 500 }, () => op('{ provisioningPlan { key } }')) }), status: 400, code: 'BAD_REQUEST', says: /at most 10 operations/ },
  { name: 'an empty batch', request: () => ({ body: [] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty JSON object', request: () => ({ body: {} }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a query that is a number', request: () => ({ body: { query: 42 } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'variables that are a string', request: () => ({ body: { query: '{ me { id } }', variables: 'x' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a text/plain body (CSRF-style)', request: () => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify(op('{ me { id } }')) }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a mutation over GET', request: () => ({ method: 'GET', search: `?query=${encodeURIComponent('mutation { cancelProvisioning(tenantId: "x") { status } }')}` }), status: 405, code: 'BAD_REQUEST' },
  { name: 'an operationName the document lacks', request: () => ({ body: { query: 'query A { me { id } }', operationName: 'B' } }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
  { name: 'two operations and no operationName', request: () => ({ body: { query: 'query A { me { id } } query B { me { id } }' } }), status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },

  // GraphQL documents: refused before any resolver runs.
  { name: 'a syntax error', request: () => ({ body: op('{ me { id ') }), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field', request: () => ({ body: op('{ passwords }') }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a query 50 levels deep', request: () => ({ body: op(deep(50)) }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', says: new RegExp(`depth limit of ${DEFAULT_QUERY_LIMITS.maxDepth} exceeded, found 50`) },
  { name: '100 aliased fields', request: () => ({ body: op(aliases(100)) }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', says: new RegExp(`Aliases limit of ${DEFAULT_QUERY_LIMITS.maxAliases} exceeded, found 100`) },
  { name: 'a document of 6,000 tokens', request: () => ({ body: op(aliases(1000)) }), status: 400, code: 'GRAPHQL_PARSE_FAILED', says: new RegExp(`${DEFAULT_QUERY_LIMITS.maxTokens} tokens`) },
  { name: 'a fragment bomb (2^20 fields)', request: () => ({ body: op(fragmentBomb()) }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', says: new RegExp(`the limit is ${DEFAULT_QUERY_LIMITS.maxCost} `) },
  { name: 'a fragment cycle', request: () => ({ body: op('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }') }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'introspection of the schema (off here, as in production)', request: () => ({ body: op('{ __schema { types { name } } }'), token: null }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', says: /introspection/i },
  { name: 'introspection of one type', request: () => ({ body: op('{ __type(name: "User") { fields { name } } }') }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', says: /introspection/i },
  { name: 'an unknown enum value in the query', request: () => ({ body: op('{ tenants(status: HACKED) { totalCount } }') }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown directive', request: () => ({ body: op('{ me @drop { id } }') }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },

  // Variables: coerced against the schema before any resolver runs.
  { name: 'an unknown enum value in a variable', request: () => ({ body: op(`query ($s: TenantProvisioningStatus) { tenants(status: $s) { totalCount } }`, { s: 'HACKED' }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an unknown step key', request: ({ tenantId }) => ({ body: op(SKIP, { id: tenantId, step: 'DROP_TABLES' }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a string where an Int goes', request: () => ({ body: op(TENANTS, { first: 'ten' }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an Int beyond 32 bits', request: () => ({ body: op(TENANTS, { first: 99_999_999_999 }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'null for a non-null variable', request: () => ({ body: op(TENANTS, { first: null }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a missing required variable', request: () => ({ body: op(TENANTS, {}) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an object where an ID goes', request: () => ({ body: op(`query ($id: ID!) { tenant(id: $id) { id } }`, { id: { $ne: null } }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an input with an unknown field', request: () => ({ body: op(CREATE, { input: { ...tenantInput(), role: 'PLATFORM_ADMIN' } }) }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a number where the email goes', request: () => ({ body: op(LOGIN, { email: 42, password: 'x' }), token: null }), status: 400, code: 'BAD_USER_INPUT' },

  // Ids: every one is a UUID, checked before it reaches SQL.
  invalidId('a tenant id that is not a UUID', `query ($id: ID!) { tenant(id: $id) { id } }`, 'not-a-uuid'),
  invalidId('SQL in a tenant id', `query ($id: ID!) { provisioning(tenantId: $id) { id } }`, "' OR 1=1 --"),
  invalidId('a path in a tenant id', `query ($id: ID!) { provisioningLogs(tenantId: $id) { seq } }`, '../../etc/passwd'),
  invalidId('a 10 KB tenant id', `mutation ($id: ID!) { cancelProvisioning(tenantId: $id) { status } }`, 'f'.repeat(10_000)),
  invalidId('an empty tenant id', `mutation ($id: ID!) { continueProvisioning(tenantId: $id) { status } }`, ''),
  invalidId('SQL in the tenant id of a deprovisioning', `mutation ($id: ID!) { deprovisionTenant(tenantId: $id, mode: REMOVE) { status } }`, "'; DROP TABLE tenant; --"),
  invalidId('a UUID with a trailing newline', `mutation ($id: ID!) { retryProvisioning(tenantId: $id) { status } }`, '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b\n'),

  // Strings: every one has a length limit, and the error names the field.
  tooLong('name', { name: 'n'.repeat(90_000) }),
  tooLong('adminName', { adminName: 'n'.repeat(141) }),
  tooLong('adminEmail', { adminEmail: `${'e'.repeat(300)}@tenant.test` }),
  tooLong('adminPassword', { adminPassword: 'p'.repeat(257) }),
  tooLong('category', { category: 'c'.repeat(141) }),
  tooLong('description', { description: 'd'.repeat(2001) }),
  tooLong('countryCode', { countryCode: 'KEN' }),
  tooLong('countryTemplate', { autoStart: true, provisioning: { countryTemplate: 't'.repeat(50_000) } }),
  { name: 'a 50 KB countryTemplate', request: ({ tenantId }) => ({ body: op(START, { id: tenantId, input: { countryTemplate: 't'.repeat(50_000) } }) }), status: 200, code: 'BAD_USER_INPUT', field: 'countryTemplate' },
  { name: 'a 5000-character skip reason', request: ({ tenantId }) => ({ body: op(SKIP, { id: tenantId, step: 'DEMO_ITEMS', reason: 'r'.repeat(5000) }) }), status: 200, code: 'BAD_USER_INPUT', field: 'reason' },
  { name: 'a 300-character login email', request: () => ({ body: op(LOGIN, { email: `${'e'.repeat(300)}@x.io`, password: 'x' }), token: null }), status: 200, code: 'BAD_USER_INPUT', field: 'email' },
  { name: 'a 50 KB login password', request: () => ({ body: op(LOGIN, { email: 'a@b.io', password: 'p'.repeat(50_000) }), token: null }), status: 200, code: 'BAD_USER_INPUT', field: 'password' },
  { name: 'a cursor that is not ours', request: () => ({ body: op(TENANTS, { first: 5, after: 'garbage' }) }), status: 200, code: 'BAD_USER_INPUT', field: 'after' },
  { name: 'a forged cursor with SQL for an id', request: () => ({ body: op(TENANTS, { first: 5, after: cursor("2020-01-01T00:00:00.000Z|' OR 1=1 --") }) }), status: 200, code: 'BAD_USER_INPUT', field: 'after' },
  { name: 'a 10 KB cursor', request: () => ({ body: op(TENANTS, { first: 5, after: 'A'.repeat(10_000) }) }), status: 200, code: 'BAD_USER_INPUT', field: 'after' },
  { name: 'a page of 100000 tenants', request: () => ({ body: op(TENANTS, { first: 100_000 }) }), status: 200, code: 'BAD_USER_INPUT', field: 'first' },
  { name: 'a negative page size', request: () => ({ body: op(TENANTS, { first: -1 }) }), status: 200, code: 'BAD_USER_INPUT', field: 'first' },
  { name: 'an empty log page', request: ({ tenantId }) => ({ body: op(LOGS, { id: tenantId, first: 0 }) }), status: 200, code: 'BAD_USER_INPUT', field: 'first' },
  { name: 'a negative log seq', request: ({ tenantId }) => ({ body: op(LOGS, { id: tenantId, first: 10, after: -5 }) }), status: 200, code: 'BAD_USER_INPUT', field: 'after' },

  // Tokens: every forgery is refused before anything runs.
  ...FORGED_TOKEN_NAMES.map((name): Case => ({
    name: `a forged token: ${name}`,
    request: ({ forged }) => ({ body: op('{ me { id role } }'), token: forged[name] }),
    status: 401,
    code: 'UNAUTHENTICATED',
    says: /sign in again/,
  })),
  { name: 'an empty Bearer header', request: () => ({ body: op('{ me { id } }'), headers: { authorization: 'Bearer ' } }), status: 200, code: 'UNAUTHENTICATED' },
  { name: 'Basic credentials', request: () => ({ body: op('{ me { id } }'), headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` } }), status: 200, code: 'UNAUTHENTICATED' },
  { name: 'an 8 KB token', request: () => ({ body: op('{ me { id } }'), token: 'x'.repeat(8 * 1024) }), status: 401, code: 'UNAUTHENTICATED' },
];

async function send(target: Target, request: RawRequest) {
  const token = request.token === undefined ? target.adminToken : request.token;
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const response = await fetch(`${target.url}/graphql${request.search ?? ''}`, {
    method: request.method ?? 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      // Apollo's CSRF check wants this header on a GET; a browser form could not set it.
      ...(request.method === 'GET' ? { 'apollo-require-preflight': 'true' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...request.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

describe('hostile input: a corpus of malformed requests, each refused with a clear code', () => {
  let service: TestService;
  let target: Target;

  beforeAll(async () => {
    // Production-like: introspection off. A fixed secret lets the corpus forge tokens.
    service = await startTestService({ INTROSPECTION: 'false', JWT_SECRET: TEST_JWT_SECRET });
    const adminToken = await loginAs(service.graphqlUrl);
    const tenant = await createTenant(service.graphqlUrl, adminToken);
    const tenantToken = await loginAs(service.graphqlUrl, tenant.input.adminEmail, tenant.input.adminPassword);
    const { me } = await graphqlOk<{ me: { id: string } }>(service.graphqlUrl, '{ me { id } }', {}, adminToken);
    target = { url: service.url, adminToken, tenantId: tenant.id, forged: await forgedTokens(me.id, tenantToken) };
  });
  afterAll(() => service.stop());

  it('holds at least 50 cases', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const answer = await send(target, entry.request(target));
    expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    const { errors, data } = JSON.parse(answer.text) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; data?: unknown };
    expect({ status: answer.status, code: errors?.[0]?.extensions?.code }).toEqual({ status: entry.status, code: entry.code });
    if (entry.says) expect(errors![0]!.message).toMatch(entry.says);
    if (entry.field) expect(errors![0]!.extensions!.field).toBe(entry.field);
    // Refused, not half-done: nothing but nulls comes back next to the error.
    expect(Object.values((data ?? {}) as object).every((value) => value === null)).toBe(true);
    // An error message never echoes a huge input back.
    expect(answer.text.length).toBeLessThan(4096);

    const still = await graphqlOk<{ provisioningPlan: unknown[] }>(service.graphqlUrl, '{ provisioningPlan { key } }', {}, target.adminToken);
    expect(still.provisioningPlan).toHaveLength(11);
  });

  it('creates no tenant when createTenant with autoStart has a bad countryTemplate', async () => {
    const input = tenantInput({ autoStart: true, provisioning: { countryTemplate: 'Imaginary Chart' } });
    const refused = await send(target, { body: op(CREATE, { input }) });
    expect(JSON.parse(refused.text).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'countryTemplate' });
    // The same admin email is free: the refused request created neither tenant nor user.
    await graphqlOk(service.graphqlUrl, CREATE, { input: { ...input, autoStart: false, provisioning: null } }, target.adminToken);
  });

  describe('over the WebSocket', () => {
    type Message = { id?: string; type: string; payload?: unknown };
    const firstCode = (message: Message) => {
      const payload = message.payload as Array<{ extensions?: { code?: string } }> | { errors?: Array<{ extensions?: { code?: string } }> };
      return Array.isArray(payload) ? payload[0]?.extensions?.code : payload.errors?.[0]?.extensions?.code;
    };

    it.each([
      ['a syntax error', { query: 'subscription { provisioningActivity { seq ' }, 'GRAPHQL_PARSE_FAILED'],
      ['a query 50 levels deep', { query: deep(50).replace(/^\{/, 'subscription {') }, 'GRAPHQL_VALIDATION_FAILED'],
      ['100 aliased fields', { query: aliases(100) }, 'GRAPHQL_VALIDATION_FAILED'],
      ['a document of 6,000 tokens', { query: aliases(1000) }, 'GRAPHQL_PARSE_FAILED'],
      ['introspection', { query: '{ __schema { types { name } } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      ['an invalid tenant id', { query: 'subscription ($id: ID!) { provisioningEvents(tenantId: $id) { seq } }', variables: { id: 'nope' } }, 'BAD_USER_INPUT'],
      ['an unknown enum value in a variable', { query: 'mutation ($s: StepKey) { retryProvisioning(tenantId: "3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b", step: $s) { status } }', variables: { s: 'NOPE' } }, 'BAD_USER_INPUT'],
      ['a string where an Int goes', { query: 'subscription ($after: Int) { provisioningEvents(tenantId: "3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b", after: $after) { seq } }', variables: { after: 'ten' } }, 'BAD_USER_INPUT'],
      ['a negative after', { query: 'subscription ($id: ID!) { provisioningEvents(tenantId: $id, after: -1) { seq } }', variables: { id: '3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b' } }, 'BAD_USER_INPUT'],
    ])('refuses %s with an error message and keeps the socket open', async (_name, payload, code) => {
      const socket = await initSocket(service.wsUrl, bearer(target.adminToken));
      expect(socket.acked).toBe(true);
      socket.send({ id: 'bad', type: 'subscribe', payload });
      const refused = (await socket.next()) as Message;
      expect({ id: refused.id, code: firstCode(refused) }).toEqual({ id: 'bad', code });
      // The same socket still serves.
      socket.send({ id: 'ok', type: 'subscribe', payload: { query: '{ provisioningPlan { key } }' } });
      let served = (await socket.next()) as Message;
      while (served.id !== 'ok') served = (await socket.next()) as Message;
      expect(served.type).toBe('next');
      socket.close();
    });

    it('checks every subscription of one document on its own: its variables and its cost each time, a refused text every time', async () => {
      const socket = await initSocket(service.wsUrl, bearer(target.adminToken));
      const answerTo = async (id: string, payload: { query: string; variables?: Record<string, unknown> }) => {
        socket.send({ id, type: 'subscribe', payload });
        let message = (await socket.next()) as Message;
        while (message.id !== id) message = (await socket.next()) as Message;
        // Refused: an `error` message, or a `next` carrying errors (what a resolver threw); else served.
        return firstCode(message) ?? message.type;
      };
      const events = 'subscription ($id: ID!) { provisioningEvents(tenantId: $id) { seq } }';
      expect(await answerTo('e1', { query: events, variables: { id: 'nope' } })).toBe('BAD_USER_INPUT');
      expect(await answerTo('e2', { query: events, variables: { id: target.tenantId } })).toBe('next');
      expect(await answerTo('e3', { query: events, variables: { id: 'nope' } })).toBe('BAD_USER_INPUT');
      // Ten pages of the log: cheap at one event each, over the cost limit at 1,000 each.
      const pages = `query Pages($id: ID!, $n: Int!) { ${Array.from({ length: 10 }, (_, i) => `p${i}: provisioningLogs(tenantId: $id, first: $n) { seq type step message at tenantId runId provisioning { status progress } }`).join(' ')} }`;
      expect(await answerTo('p1', { query: pages, variables: { id: target.tenantId, n: 1 } })).toBe('next');
      expect(await answerTo('p2', { query: pages, variables: { id: target.tenantId, n: 1000 } })).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await answerTo('p3', { query: pages, variables: { id: target.tenantId, n: 1 } })).toBe('next');
      for (const id of ['s1', 's2']) expect(await answerTo(id, { query: 'subscription { provisioningActivity { seq ' })).toBe('GRAPHQL_PARSE_FAILED');
      socket.close();
    });

    it.each([
      ['a message that is not JSON', '{ nope', 4400],
      ['a message of an unknown type', JSON.stringify({ type: 'drop_database' }), 4400],
      ['a message over 100 KB', JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: `{ me { id } } # ${'x'.repeat(200_000)}` } }), 1009],
    ])('closes the socket on %s', async (_name, message, code) => {
      const socket = await initSocket(service.wsUrl, bearer(target.adminToken));
      socket.send(message);
      expect((await socket.closed).code).toBe(code);
    });
  });
});
