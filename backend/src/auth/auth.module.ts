import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CatalogModule } from '../catalog/catalog.module';
import { SecretsModule } from '../secrets/secrets.module';
import { AuditModule } from './audit.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { LoginThrottleRepository } from './login-throttle.repository';
import { TotpController } from './totp.controller';
import { TotpService } from './totp.service';

/** Users (and their optional second factor), sessions, viewer tokens, and the global guard that checks them on every route not marked @Public(). */
@Module({
  imports: [CatalogModule, AuditModule, SecretsModule],
  controllers: [AuthController, TotpController],
  providers: [
    AuthRepository,
    AuthService,
    TotpService,
    LoginThrottle,
    LoginThrottleRepository,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
