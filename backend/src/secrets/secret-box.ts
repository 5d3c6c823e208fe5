import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../http/errors';
import { open, seal } from './seal';
import { resolveSecretKey } from './secret-key';

/**
 * Seals and opens secrets kept in the database (notification credentials, second-factor secrets) with the instance's
 * key (DXOC_SECRET_KEY, or the embedded database's generated key file). The key is read on first use: an instance
 * that never touches a secret never creates a key file. A PostgreSQL deployment without DXOC_SECRET_KEY still starts
 * (ingest and the wall need no key); what each user of the box does then is its own decision (hasKey).
 */
@Injectable()
export class SecretBox {
  private key: Buffer | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** False on a PostgreSQL deployment without DXOC_SECRET_KEY: seal and open would answer 503 secret_key_missing. */
  get hasKey(): boolean {
    return this.config.secretKey !== null || !this.config.databaseUrl;
  }

  private resolve(): Buffer {
    if (this.key) return this.key;
    try {
      this.key = resolveSecretKey(this.config);
      return this.key;
    } catch (error) {
      throw new AppError(503, 'secret_key_missing', error instanceof Error ? error.message : String(error));
    }
  }

  seal(plaintext: string): string {
    return seal(this.resolve(), plaintext);
  }

  /** Throws when the value was sealed under another key (or altered): GCM checks it. */
  open(sealed: string): string {
    return open(this.resolve(), sealed);
  }
}
