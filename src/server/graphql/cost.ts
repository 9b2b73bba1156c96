import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, getVariableValues, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * Field selections the cost walk visits before it gives up and refuses the operation
 * (graphql-query-complexity's own bound): a document of nested fragment spreads stands for
 * billions of fields, and must cost no more than this much work to refuse.
 */
const MAX_COST_NODES = 10_000;

/**
 * The largest page any field serves (provisioningLogs; tenants stops at 200). A larger `first`
 * counts as this many: its field refuses it (BAD_USER_INPUT naming `first`) before any work,
 * which tells the caller more than a cost error would.
 */
const LARGEST_PAGE = 1000;

/**
 * A field costs 1 plus its selections; a list with a `first` argument (its value, or its
 * default when the caller leaves it out) costs that many times as much. Lists without `first`
 * (a run's steps, its errors) are small and fixed, and count once.
 */
const listSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const items = typeof args.first === 'number' ? Math.min(Math.max(args.first, 1), LARGEST_PAGE) : 1;
  return items * (1 + childComplexity);
};

export interface OperationRequest {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * What an operation may cost to answer. Variables that do not fit the operation cost nothing
 * here: execution refuses them (BAD_USER_INPUT) before any resolver runs.
 */
export function operationCost(schema: GraphQLSchema, request: OperationRequest): number {
  const operation = getOperationAST(request.document, request.operationName);
  if (!operation) return 0;
  const variables = request.variables ?? {};
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return 0;
  try {
    return getComplexity({
      schema,
      query: request.document,
      operationName: operation.name?.value,
      variables,
      estimators: [listSizeEstimator],
      maxQueryNodes: MAX_COST_NODES,
    });
  } catch {
    // The only error left is the node bound: more fields than any limit allows.
    return Infinity;
  }
}

export function costError(what: string, cost: number, maxCost: number): GraphQLError {
  const found = Number.isFinite(cost) ? `costs ${cost}` : `selects more than ${MAX_COST_NODES} fields`;
  return new GraphQLError(
    `${what} ${found}; the limit is ${maxCost} (each field 1, lists times their \`first\`). Ask for fewer fields or smaller pages, or split it.`,
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
  );
}

/** Refuses an HTTP operation over the cost limit before it executes (variables are known here, not at validation). */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const cost = operationCost(schema, { document, operationName, variables: request.variables });
          if (cost > maxCost) throw costError(`${operationName ?? 'The operation'}`, cost, maxCost);
        },
      };
    },
  };
}
