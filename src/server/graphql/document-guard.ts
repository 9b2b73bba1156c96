import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { httpError } from '../http-error.js';
import { costError, operationCost, type OperationRequest } from './cost.js';
import type { QueryLimits } from './limits.js';
import { repeatedFieldError } from './repeated-fields.js';

/**
 * Before Apollo, on /graphql: what must be refused before graphql-js validates a document
 * (fields repeated past the limit, see repeated-fields.ts) or per request rather than per
 * operation (a batch's size, and its operations' costs added up, so ten operations cannot do
 * what one may not). A document that does not parse is left to Apollo, which says why.
 */
export function documentGuard(schema: GraphQLSchema, limits: QueryLimits, maxBatchSize: number): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const batch = Array.isArray(req.body);
    if (batch && req.body.length > maxBatchSize) {
      return next(httpError(400, `A batch may hold at most ${maxBatchSize} operations; this one has ${req.body.length}. Send them in smaller batches.`));
    }
    const entries: unknown[] = batch ? req.body : [req.method === 'GET' ? req.query : req.body];
    let cost = 0;
    for (const entry of entries) {
      const operation = parsedOperation(entry, limits.maxTokens);
      if (!operation) continue;
      const repeated = repeatedFieldError(operation.document, limits.maxRepeatedField);
      if (repeated) return next(httpError(400, repeated.message, 'GRAPHQL_VALIDATION_FAILED'));
      if (batch) cost += operationCost(schema, operation);
    }
    if (cost > limits.maxCost) return next(httpError(400, costError('This batch', cost, limits.maxCost).message, 'GRAPHQL_VALIDATION_FAILED'));
    next();
  };
}

function parsedOperation(entry: unknown, maxTokens: number): OperationRequest | null {
  const { query, operationName, variables } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  if (typeof query !== 'string') return null;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens });
  } catch {
    return null;
  }
  return {
    document,
    operationName: typeof operationName === 'string' ? operationName : undefined,
    variables: typeof variables === 'object' && variables !== null && !Array.isArray(variables) ? (variables as Record<string, unknown>) : undefined,
  };
}
