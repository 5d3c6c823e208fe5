import { Controller, Delete, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import { CreateAgentKeyRequest, type AgentKey, type Principal } from '@dxoc/contracts';
import { AppError, notFound } from '../http/errors';
import type { z } from 'zod';
import { ValidBody } from '../http/validation';
import { KeysService, type AgentKeySummary } from './keys.service';

/** An operator manages the keys of its own unit only; an admin manages all. */
function ownedBy(principal: Principal, key: AgentKeySummary): boolean {
  if (principal.role === 'admin') return true;
  return key.units !== 'all' && key.units.length === 1 && key.units[0] === principal.unitCode;
}

@Controller('api/v1/keys')
@Roles('operator', 'admin')
export class KeysController {
  constructor(@Inject(KeysService) private readonly keys: KeysService) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal): Promise<{ keys: AgentKey[] }> {
    return { keys: (await this.keys.list()).filter((key) => ownedBy(principal, key)) };
  }

  @Post()
  // the answer carries the key's secret, shown once
  @Header('Cache-Control', 'no-store')
  async create(
    @ValidBody(CreateAgentKeyRequest) input: z.infer<typeof CreateAgentKeyRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ) {
    if (principal.role === 'operator' && (input.units === 'all' || input.units.some((unit) => unit !== principal.unitCode))) {
      throw new AppError(403, 'forbidden_unit', `an operator of unit ${principal.unitCode} may create keys for that unit only`);
    }
    return this.keys.create({ unitCodes: input.units === 'all' ? null : input.units, name: input.name }, principal.name, ip);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<void> {
    const key = await this.keys.get(id);
    if (!key) throw notFound(`no agent key with id "${id}"`);
    if (!ownedBy(principal, key))
      throw new AppError(403, 'forbidden_unit', `agent key "${id}" does not belong to unit ${principal.unitCode}`);
    await this.keys.revoke(id, principal.name, ip);
  }
}
