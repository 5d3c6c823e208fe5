import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { KeysController } from './keys.controller';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';

/** Agent keys: issued and revoked here, checked by ingest. */
@Module({
  imports: [CatalogModule, AuditModule],
  controllers: [KeysController],
  providers: [KeysRepository, KeysService],
  exports: [KeysService],
})
export class KeysModule {}
