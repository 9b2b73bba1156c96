/** Where the provisioning page keeps the signed-in token, so GraphiQL on the same origin can use it. */
export const TOKEN_STORAGE_KEY = 'provisioning.token';
