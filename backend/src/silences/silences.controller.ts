import { Controller, Get, HttpCode, Inject, Param, Post, type PipeTransform } from '@nestjs/common';
import { SilenceInput, SilencesQuery, type Principal, type Silence } from '@dxoc/contracts';
import type { z } from 'zod';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import { notFound } from '../http/errors';
import { ValidBody, ValidQuery } from '../http/validation';
import { SilencesService } from './silences.service';

class IdPipe implements PipeTransform<string, number> {
  transform(text: string): number {
    if (!/^\d{1,15}$/.test(text)) throw notFound(`no silence with id ${JSON.stringify(text)}`);
    return Number(text);
  }
}

/** Silences (maintenance windows): staff and admin read, create and end them early. */
@Controller('api/v1/silences')
export class SilencesController {
  constructor(@Inject(SilencesService) private readonly silences: SilencesService) {}

  @Roles('staff', 'admin')
  @Get()
  async list(@ValidQuery(SilencesQuery) query: z.output<typeof SilencesQuery>): Promise<{ silences: Silence[] }> {
    return { silences: await this.silences.list(query) };
  }

  @Roles('staff', 'admin')
  @Post()
  create(
    @ValidBody(SilenceInput) body: z.output<typeof SilenceInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<Silence> {
    return this.silences.create(body, principal, ip);
  }

  @Roles('staff', 'admin')
  @Post(':id/end')
  @HttpCode(200)
  end(@Param('id', new IdPipe()) id: number, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<Silence> {
    return this.silences.end(id, principal, ip);
  }
}
