import { Module } from '@nestjs/common';
import { SecretBox } from './secret-box';

/** The instance's key and the box sealing secrets at rest with it; one instance shared by the modules that import it. */
@Module({
  providers: [SecretBox],
  exports: [SecretBox],
})
export class SecretsModule {}
