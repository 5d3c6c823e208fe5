import { Module } from '@nestjs/common';
import { AuditModule } from '../auth/audit.module';
import { DatabaseModule } from '../db/database.module';
import { SecretsModule } from '../secrets/secrets.module';
import { SilencesModule } from '../silences/silences.module';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * Alert notifications: channels and routes (admin), the delivery outbox and the dispatcher that fills and sends it
 * on one instance (lease 'notifications'), and the published weekly report mailed to the channels routed for it.
 */
@Module({
  imports: [AuditModule, DatabaseModule, SecretsModule, SilencesModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, NotificationDispatcher],
  exports: [NotificationDispatcher],
})
export class NotificationsModule {}
