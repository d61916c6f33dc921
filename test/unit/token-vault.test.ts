import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVault } from '../../src/accounts/token-vault.ts';

const dirs: string[] = [];
function tempKeyFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'token-encryption.key');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('token vault', () => {
  const key = Buffer.from('11'.repeat(32), 'hex');

  it('seals a token so that only the key opens it, with a fresh IV each time', () => {
    const vault = createTokenVault({ key, keyFile: tempKeyFile() });
    const token = 'THQVJ-long-lived-token-ünïcode';
    const sealed = vault.encrypt(token);
    expect(sealed).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(sealed).not.toContain(token);
    expect(vault.decrypt(sealed)).toBe(token);
    expect(vault.encrypt(token)).not.toBe(sealed);
  });

  it('refuses a tampered ciphertext', () => {
    const vault = createTokenVault({ key, keyFile: tempKeyFile() });
    const [version, iv, tag, sealed] = vault.encrypt('THQVJ-some-token').split(':');
    const bytes = Buffer.from(sealed!, 'base64');
    bytes[0] = bytes[0]! ^ 0x01;
    expect(() => vault.decrypt([version, iv, tag, bytes.toString('base64')].join(':'))).toThrow(/cannot be decrypted/);
    expect(() => vault.decrypt('plain-text-token')).toThrow(/not in the v1 format/);
  });

  it('names TOKEN_ENCRYPTION_KEY when opened with another key', () => {
    const sealed = createTokenVault({ key, keyFile: tempKeyFile() }).encrypt('THQVJ-some-token');
    const other = createTokenVault({ key: Buffer.from('22'.repeat(32), 'hex'), keyFile: tempKeyFile() });
    expect(() => other.decrypt(sealed)).toThrow(
      'stored token cannot be decrypted: TOKEN_ENCRYPTION_KEY is not the key it was sealed with',
    );
  });

  it('creates the key file once, readable by its owner only, and reuses it', () => {
    const keyFile = tempKeyFile();
    const first = createTokenVault({ keyFile });
    expect(fs.existsSync(keyFile)).toBe(false);
    const sealed = first.encrypt('THQVJ-some-token');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const written = fs.readFileSync(keyFile, 'utf8');
    expect(written.trim()).toMatch(/^[0-9a-f]{64}$/);

    const second = createTokenVault({ keyFile });
    expect(second.decrypt(sealed)).toBe('THQVJ-some-token');
    second.encrypt('another');
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(written);
  });

  it('refuses a key file that does not hold a 32-byte key', () => {
    const keyFile = tempKeyFile();
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, randomBytes(16).toString('hex'));
    expect(() => createTokenVault({ keyFile }).encrypt('x')).toThrow(/does not hold a 32-byte hex key/);
  });
});
