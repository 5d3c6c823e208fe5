import { Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { z } from 'zod';
import { TOTP_ROLES, TotpConfirmRequest, TotpDisableRequest, type Principal, type TotpEnrolment, type TotpStatus } from '@dxoc/contracts';
import { ValidBody } from '../http/validation';
import { ClientIp, CurrentPrincipal, Roles } from './decorators';
import { TotpService } from './totp.service';

/**
 * The second factor of one's own account (under /auth, so every answer is Cache-Control: no-store), and an admin's
 * reset of another user's. Status and switching off are open to every user account (a user whose role changed
 * can still switch theirs off); enrolling is for admin and staff.
 */
@Controller('api/v1')
export class TotpController {
  constructor(@Inject(TotpService) private readonly totp: TotpService) {}

  @Get('auth/totp')
  status(@CurrentPrincipal() principal: Principal): Promise<TotpStatus> {
    return this.totp.status(principal);
  }

  @Roles(...TOTP_ROLES)
  @Post('auth/totp/enrol')
  enrol(@CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<TotpEnrolment> {
    return this.totp.enrol(principal, ip);
  }

  @Roles(...TOTP_ROLES)
  @Post('auth/totp/confirm')
  @HttpCode(200)
  confirm(
    @ValidBody(TotpConfirmRequest) body: z.infer<typeof TotpConfirmRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<TotpStatus> {
    return this.totp.confirm(principal, body.code, ip);
  }

  @Post('auth/totp/disable')
  @HttpCode(200)
  disable(
    @ValidBody(TotpDisableRequest) body: z.infer<typeof TotpDisableRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<TotpStatus> {
    return this.totp.disable(principal, body, ip);
  }

  @Roles('admin')
  @Delete('users/:id/totp')
  @HttpCode(204)
  async reset(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<void> {
    await this.totp.reset(id, principal.name, ip);
  }
}
