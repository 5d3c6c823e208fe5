import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { DatabaseSilenceMatcher, SILENCE_MATCHER } from './silence-matcher';
import { SilencesController } from './silences.controller';
import { SilencesRepository } from './silences.repository';
import { SilencesService } from './silences.service';

/** Silences (maintenance windows) and the matcher the notification delivery asks before sending. */
@Module({
  imports: [AuditModule],
  controllers: [SilencesController],
  providers: [SilencesRepository, SilencesService, { provide: SILENCE_MATCHER, useClass: DatabaseSilenceMatcher }],
  exports: [SILENCE_MATCHER],
})
export class SilencesModule {}
