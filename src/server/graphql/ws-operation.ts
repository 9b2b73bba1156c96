import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';

/**
 * Parses and validates an operation received over graphql-ws the way Apollo does over HTTP:
 * the same rules (query limits, introspection switch) and the same error codes. graphql-ws's
 * own parsing would end the whole socket with 4500 on a syntax error, and its validation
 * knows none of our rules; returned errors are sent as an `error` message instead.
 */
export function wsOperation(schema: GraphQLSchema, rules: readonly ValidationRule[]) {
  const allRules = [...specifiedRules, ...rules];
  return (payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : new GraphQLError('The query could not be parsed.');
      return [withCode(syntax, 'GRAPHQL_PARSE_FAILED')];
    }
    const errors = validate(schema, document, allRules);
    if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
    // Variables of the wrong type are the caller's mistake (BAD_USER_INPUT, as Apollo says),
    // not the code-less errors execution would report. A missing operation is left to graphql-ws.
    const operation = getOperationAST(document, payload.operationName);
    const variables = operation && getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
    if (variables?.errors) return variables.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
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
