import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { LiveHub } from './live-hub';
import { LiveCredentialWatch } from './live-credentials';
import { LiveGateway } from './live.gateway';
import { LiveRepository } from './live.repository';

/** The socket.io live stream. Told of local changes by the event bus; imports no feature module that makes them. */
@Module({
  imports: [CatalogModule, AuthModule],
  providers: [LiveRepository, LiveHub, LiveCredentialWatch, LiveGateway],
  exports: [LiveHub],
})
export class LiveModule {}
