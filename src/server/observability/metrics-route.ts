import type express from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';

/**
 * GET /metrics. With METRICS_TOKEN set it answers only `Authorization: Bearer <METRICS_TOKEN>`
 * (401 otherwise); in production without one it is not served at all (404), since the metrics
 * tell an outsider what runs and how busy it is. Outside production it is open unless a token is set.
 */
export function mountMetrics(app: express.Express, registry: Registry, options: { token?: string; production: boolean }): void {
  const { token, production } = options;
  if (production && !token) return;
  app.get('/metrics', async (req, res) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
