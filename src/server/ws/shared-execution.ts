import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { RequestContext } from '../../lib/request-context.js';

/**
 * Subscriptions that execute each event once per distinct document, not once per subscriber.
 *
 * graphql-js's `subscribe` executes the selection set for every subscriber and every event: with
 * 5,000 subscribers on 50 tenants, an event of a tenant is executed by its 100 subscribers alike.
 * Here an event object that the hub hands to several subscriptions is executed once for each
 * distinct (document, variables below the root field, viewer's access) and every subscriber of
 * that kind gets the same result. Replayed events and snapshots are objects of their own
 * subscriber, so they are executed for it alone, as before.
 */
export function sharedSubscriptions() {
  const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  /** The event each result shows, for the delivery metrics. */
  const eventOfResult = new WeakMap<ExecutionResult, unknown>();
  const variablesBelowRoot = new WeakMap<DocumentNode, string[]>();

  const keyOf = (args: ExecutionArgs): string | null => {
    const query = args.document.loc?.source.body;
    if (query === undefined) return null;
    let names = variablesBelowRoot.get(args.document);
    if (!names) variablesBelowRoot.set(args.document, (names = variablesAffectingEvents(args.document, args.operationName)));
    const values = names.map((name) => args.variableValues?.[name] ?? null);
    return JSON.stringify([query, args.operationName ?? null, values, accessOf(args.contextValue)]);
  };

  const executeShared = (args: ExecutionArgs, key: string | null, event: unknown): Promise<ExecutionResult> => {
    const run = async () => {
      const result = await execute({ ...args, rootValue: event });
      eventOfResult.set(result, event);
      return result;
    };
    if (key === null || typeof event !== 'object' || event === null) return run();
    let byKey = executions.get(event);
    if (!byKey) executions.set(event, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = run()));
    return result;
  };

  return {
    /** graphql-ws's `subscribe`. */
    subscribe: async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
      const source = await createSourceEventStream(args);
      if (!isAsyncIterable(source)) return source;
      const key = keyOf(args);
      return mapEvents(source[Symbol.asyncIterator](), (event) => executeShared(args, key, event));
    },
    /** The event a result of `subscribe` shows. */
    eventOf: (result: ExecutionResult): unknown => eventOfResult.get(result),
  };
}

/**
 * The viewer's side of a result: fields check the role and the tenant, never the user, so
 * subscribers with the same role on the same tenant may share one.
 */
function accessOf(context: unknown): string {
  const viewer = (context as Partial<RequestContext> | undefined)?.viewer;
  return viewer ? `${viewer.role}:${viewer.tenantId ?? ''}` : 'anonymous';
}

/**
 * The variables a result depends on: all of the operation's but those used only in the root
 * field's arguments (`tenantId`, `after`), which choose the events and not how they are shown.
 */
function variablesAffectingEvents(document: DocumentNode, operationName: string | null | undefined): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const selections = operation.selectionSet.selections;
  const root = selections.length === 1 && selections[0]!.kind === Kind.FIELD ? selections[0]! : null;
  const nodes: ASTNode[] = root
    ? [...(operation.directives ?? []), ...(root.directives ?? []), ...(root.selectionSet ? [root.selectionSet] : [])]
    : [operation];
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) nodes.push(definition);
  const names = new Set<string>();
  for (const node of nodes)
    visit(node, {
      Variable: (variable) => void names.add(variable.name.value),
    });
  return [...names].sort();
}

/**
 * Each source event mapped to its result as the consumer reads: nothing is read ahead, so no
 * buffer. Ending the result ends the source at once, even while a read waits for its next event
 * (an unsubscribe never waits for one).
 */
function mapEvents<T>(source: AsyncIterator<unknown>, map: (event: unknown) => Promise<T>): AsyncIterableIterator<T> {
  const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
  return {
    async next() {
      const next = await source.next();
      return next.done ? done : { value: await map(next.value), done: false };
    },
    async return() {
      await source.return?.();
      return done;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
