import { createProvisioningClient, type ProvisioningClient, type SubscriptionOptions } from '../../../../client/src/index.js';
import { TOKEN_STORAGE_KEY } from '../token-storage.js';

/** The GraphQL endpoint of the service that served this page. */
export const GRAPHQL_URL = new URL('/graphql', window.location.href).toString();

export function savedToken(): string | undefined {
  return window.localStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
}

export function saveToken(token: string | undefined): void {
  if (token) window.localStorage.setItem(TOKEN_STORAGE_KEY, token);
  else window.localStorage.removeItem(TOKEN_STORAGE_KEY);
}

/** The SDK bound to the saved token (read on every request, so a new login applies at once). */
export const api: ProvisioningClient = createProvisioningClient({ url: GRAPHQL_URL, token: savedToken });

export function subscriptionOptions(signal: AbortSignal): SubscriptionOptions {
  return { url: GRAPHQL_URL, token: savedToken, signal };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
