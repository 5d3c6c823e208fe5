import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AppConfig } from '../config/config';

/**
 * The generated key's file name. It first sealed only notification credentials; it keeps its name because existing
 * embedded installs hold their key in it (a new name would seal with a new key what the old one cannot open).
 */
export const SECRET_KEY_FILE = 'notifications-secret.key';

/**
 * The key sealing secrets at rest (notification credentials, second-factor secrets): DXOC_SECRET_KEY when set; with
 * the embedded database (dev, one machine) a key generated once and kept in the data directory (mode 0600), so a
 * restart still opens what it sealed; with a PostgreSQL server it must be configured (every instance must hold the
 * same key).
 */
export function resolveSecretKey(config: Pick<AppConfig, 'secretKey' | 'databaseUrl' | 'dataDir'>): Buffer {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) {
    throw new Error('DXOC_SECRET_KEY is required with DATABASE_URL (every instance must seal with the same key)');
  }
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length === 32) return key;
    throw new Error(`${file} does not hold a 32-byte hex key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': two processes starting at once must not each write their own key
  try {
    writeFileSync(file, key.toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSecretKey(config);
    throw error;
  }
}
