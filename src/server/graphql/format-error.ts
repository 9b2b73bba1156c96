import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { AppError, toError } from '../../lib/errors.js';

/** Codes produced by GraphQL itself (parse, validation, variable coercion): safe to show. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Caller-facing errors keep their code and message; anything else is a bug and is masked as
 * INTERNAL_SERVER_ERROR, its cause logged with the request id the caller can quote.
 */
export function formatError(formatted: GraphQLFormattedError, thrown: unknown, log: Logger, requestId?: string): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(thrown);
  // Errors raised outside a resolver (e.g. a bad token while building the context) carry the
  // AppError as originalError, without a path for Apollo to unwrap.
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError ? unwrapped.originalError : unwrapped;
  if (original instanceof AppError) {
    return { ...formatted, message: original.message, extensions: { ...original.details, code: original.code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PROTOCOL_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  if (original instanceof GraphQLError && original.originalError === undefined && !formatted.path) {
    // A GraphQL-level error without a code (e.g. subscription source errors of graphql-js).
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_REQUEST' } };
  }
  const error = toError(original);
  log.error({ err: error, requestId, path: formatted.path }, 'unexpected error while resolving a GraphQL operation');
  return {
    message: `Internal server error${requestId ? ` (request id ${requestId})` : ''}. It was logged; try again, and report the request id if it persists.`,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
  };
}

/** The same masking for errors created outside a resolver (graphql-ws `onNext`). */
export function formatErrors(errors: readonly GraphQLError[], log: Logger, requestId?: string): GraphQLFormattedError[] {
  return errors.map((error) => formatError(error.toJSON(), error, log, requestId));
}
