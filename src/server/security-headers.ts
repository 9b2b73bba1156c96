import helmet from 'helmet';

/**
 * helmet's headers on every response. The CSP admits only our own origin: the provisioning
 * page and GraphiQL are bundles served from here (GraphiQL's editor starts web workers from
 * them); styles may be inline because GraphiQL's editor injects its own; nothing may frame a
 * page. No upgrade-insecure-requests: the service is often reached over plain HTTP
 * (localhost, a private network), where it would break every subresource.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
