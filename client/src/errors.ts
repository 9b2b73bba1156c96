import { ClientError } from 'graphql-request';

/** A GraphQL error of the service: `code` is its `extensions.code` (UNAUTHENTICATED, CONFLICT, ...). */
export class ProvisioningApiError extends Error {
  override readonly name = 'ProvisioningApiError';

  constructor(
    message: string,
    readonly code: string,
    readonly errors: ReadonlyArray<GraphQLErrorShape> = [],
  ) {
    super(message);
  }
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: unknown; [key: string]: unknown };
}

/** The first GraphQL error as a ProvisioningApiError; anything else (network, bugs) unchanged. */
export function fromGraphQLErrors(errors: ReadonlyArray<GraphQLErrorShape>): ProvisioningApiError {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
  return new ProvisioningApiError(first?.message ?? 'The service answered with an error.', code, errors);
}

export function toApiError(error: unknown): unknown {
  if (error instanceof ClientError && error.response.errors?.length) return fromGraphQLErrors(error.response.errors);
  return error;
}
