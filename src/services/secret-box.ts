// Keys derived from SECRET_KEY, one per purpose (HKDF-SHA256), so no two
// uses ever share a key: a TOTP secret's sealing key is not the token
// signing key, and a token signed for one purpose never verifies as another.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const SEAL_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit key for `purpose`, the same for the same SECRET_KEY. */
export function deriveKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, '', `fastblog ${purpose}`, 32));
}

export interface SecretBox {
  /** AES-256-GCM; `context` (e.g. the owner's id) must be given again to open it, so a sealed value cannot be moved to another row. */
  seal(plaintext: string, context: string): string;
  /** The plaintext, or null if the value was not sealed by this key for this context. */
  open(sealed: string, context: string): string | null;
}

export function createSecretBox(secretKey: string, purpose: string): SecretBox {
  const key = deriveKey(secretKey, purpose);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${SEAL_VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, iv, body, ...rest] = sealed.split('.');
      if (version !== SEAL_VERSION || iv === undefined || body === undefined || rest.length > 0) return null;
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.length < TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return null;
      }
    },
  };
}
