import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';

export interface TokenVault {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/**
 * The key of the embedded default: created once under DATA_DIR, readable by its owner only.
 * Replicas sharing a PostgreSQL server must instead share TOKEN_ENCRYPTION_KEY.
 */
function loadOrCreateKeyFile(file: string): Buffer {
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length !== 32)
      throw new Error(`${file} does not hold a 32-byte hex key; remove it or set TOKEN_ENCRYPTION_KEY`);
    return key;
  }
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/**
 * AES-256-GCM, a fresh 96-bit IV per token; the stored form is `v1:<iv>:<tag>:<ciphertext>` in base64.
 * The key is read on first use, so processes that never touch a token never create a key file.
 */
export function createTokenVault(source: { key?: Buffer; keyFile: string }): TokenVault {
  let key = source.key;
  const currentKey = () => (key ??= loadOrCreateKeyFile(source.keyFile));
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey(), iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(
        ':',
      );
    },
    decrypt(stored) {
      const [version, iv, tag, sealed] = stored.split(':');
      if (version !== VERSION || !iv || !tag || sealed === undefined)
        throw new Error('stored token is not in the v1 format');
      const decipher = createDecipheriv('aes-256-gcm', currentKey(), Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('stored token cannot be decrypted: TOKEN_ENCRYPTION_KEY is not the key it was sealed with');
      }
    },
  };
}
