import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../http/errors';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { open, seal } from './crypto';
import { resolveSecretKey } from './secret-key';

/**
 * Seals and opens channel credentials with the instance's key (DXOC_SECRET_KEY, or the embedded database's generated
 * key file). The key is read on first use: an instance that never touches a credential never creates a key file.
 * A PostgreSQL deployment without DXOC_SECRET_KEY still starts (ingest and the wall need no key) and says so at
 * startup; saving or sending through a channel with a credential then answers 503 secret_key_missing.
 */
@Injectable()
export class SecretBox implements OnApplicationBootstrap {
  private key: Buffer | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.databaseUrl && !this.config.secretKey) {
      this.logger.warn('notifications.secret_key_missing', {
        message: 'DXOC_SECRET_KEY is not set: notification channels with a secret or password cannot be saved or used',
      });
    }
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

  open(sealed: string): string {
    return open(this.resolve(), sealed);
  }
}
