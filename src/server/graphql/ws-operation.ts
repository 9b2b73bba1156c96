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
import { costError, operationCost } from './cost.js';
import { queryLimitRules, type QueryLimits } from './limits.js';
import { repeatedFieldError } from './repeated-fields.js';

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
  return (payload: SubscribePayload): PreparedOperation | readonly GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: limits.maxTokens });
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : new GraphQLError('The query could not be parsed.');
      return [withCode(syntax, 'GRAPHQL_PARSE_FAILED')];
    }
    const repeated = repeatedFieldError(document, limits.maxRepeatedField);
    if (repeated) return [repeated];
    const errors = validate(schema, document, allRules);
    if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
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
