import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Standard Webhooks' secret format: a prefix and the key in base64 (the verifier strips the prefix). */
const SECRET_PREFIX = 'whsec_';
/** 32 random bytes: the HMAC-SHA256 key length, within Standard Webhooks' 24-64. */
const SECRET_BYTES = 32;
const SEALED_VERSION = 'v1';
const IV_BYTES = 12;

/** A new signing secret, `whsec_<base64 of 32 random bytes>`. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export class SecretUnreadable extends Error {
  override readonly name = 'SecretUnreadable';
  constructor() {
    super('The signing secret cannot be decrypted: JWT_SECRET changed since the endpoint was created. Delete the endpoint and create it again.');
  }
}

/**
 * Endpoint secrets at rest: AES-256-GCM under a key derived (HKDF) from the service's JWT
 * secret, bound to the endpoint's id, so a database dump alone cannot sign webhooks, and a
 * sealed secret copied onto another endpoint does not open. The signer needs the secret itself,
 * so a hash would not do.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serviceSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serviceSecret, Buffer.alloc(0), 'webhook endpoint secrets', 32));
  }

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(endpointId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [SEALED_VERSION, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open(sealed: string, endpointId: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== SEALED_VERSION || !iv || !tag || !data) throw new SecretUnreadable();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadable();
    }
  }
}
