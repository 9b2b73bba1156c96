/** A bearer token, or a function asked before each request (after a new login, say). */
export type TokenSource = string | undefined | (() => string | undefined | Promise<string | undefined>);

export async function resolveToken(token: TokenSource): Promise<string | undefined> {
  return typeof token === 'function' ? token() : token;
}

export function authorizationValue(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
