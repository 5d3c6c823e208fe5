import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res, StreamableFile, type PipeTransform } from '@nestjs/common';
import type { Response } from 'express';
import {
  DirectiveAnswerInput,
  DirectiveCloseInput,
  DirectiveInput,
  DirectiveReturnInput,
  DirectivesQuery,
  DirectiveWithdrawInput,
  type DirectiveDetail,
  type DirectiveList,
  type OverdueSummary,
  type Principal,
} from '@dxoc/contracts';
import type { z } from 'zod';
import { ClientIp, CurrentPrincipal, Roles } from '../auth/decorators';
import { notFound } from '../http/errors';
import { ValidBody, ValidQuery } from '../http/validation';
import { contentDisposition } from './attachment';
import { DirectivesService } from './directives.service';

class IdPipe implements PipeTransform<string, number> {
  transform(text: string): number {
    if (!/^\d{1,15}$/.test(text)) throw notFound(`no directive with id ${JSON.stringify(text)}`);
    return Number(text);
  }
}

class UnitPipe implements PipeTransform<string, string> {
  transform(text: string): string {
    if (!/^[A-Z0-9]{2,16}$/.test(text)) throw notFound(`no unit with code ${JSON.stringify(text)}`);
    return text;
  }
}

const Id = () => Param('id', new IdPipe());
const Unit = () => Param('unit', new UnitPipe());

/**
 * Directives (chỉ đạo): staff and admin issue, send back, close and withdraw; an operator reads the directives
 * addressed to its unit and answers (with a file) for that unit only; a viewer reads only the overdue summary.
 */
@Controller('api/v1/directives')
export class DirectivesController {
  constructor(@Inject(DirectivesService) private readonly directives: DirectivesService) {}

  /** Per unit: overdue directives and the oldest; any signed-in role, viewer tokens included (the wall). */
  @Get('overdue')
  overdue(): Promise<OverdueSummary> {
    return this.directives.overdue();
  }

  @Roles('operator', 'staff', 'admin')
  @Get()
  list(
    @ValidQuery(DirectivesQuery) query: z.infer<typeof DirectivesQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DirectiveList> {
    return this.directives.list(query, principal);
  }

  @Roles('staff', 'admin')
  @Post()
  issue(
    @ValidBody(DirectiveInput) body: z.output<typeof DirectiveInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<DirectiveDetail> {
    return this.directives.issue(body, principal, ip);
  }

  @Roles('operator', 'staff', 'admin')
  @Get(':id')
  get(@Id() id: number, @CurrentPrincipal() principal: Principal): Promise<DirectiveDetail> {
    return this.directives.get(id, principal);
  }

  @Roles('staff', 'admin')
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @Id() id: number,
    @ValidBody(DirectiveWithdrawInput) body: z.infer<typeof DirectiveWithdrawInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<DirectiveDetail> {
    return this.directives.withdraw(id, body.reason, principal, ip);
  }

  @Roles('operator', 'staff', 'admin')
  @Post(':id/units/:unit/answer')
  @HttpCode(200)
  answer(
    @Id() id: number,
    @Unit() unit: string,
    @ValidBody(DirectiveAnswerInput) body: z.infer<typeof DirectiveAnswerInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<DirectiveDetail> {
    return this.directives.answer(id, unit, body, principal, ip);
  }

  /** The file itself is the body (read raw by directiveAttachmentBody in server.ts); ?fileName= names it. */
  @Roles('operator', 'staff', 'admin')
  @Put(':id/units/:unit/attachment')
  putAttachment(
    @Id() id: number,
    @Unit() unit: string,
    @Body() body: unknown,
    @Query('fileName') fileName: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<DirectiveDetail> {
    return this.directives.putAttachment(id, unit, body, typeof fileName === 'string' ? fileName : undefined, principal, ip);
  }

  @Roles('operator', 'staff', 'admin')
  @Get(':id/units/:unit/attachment')
  async getAttachment(
    @Id() id: number,
    @Unit() unit: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.directives.attachment(id, unit, principal);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', contentDisposition(file.fileName));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(Buffer.from(file.content));
  }

  @Roles('staff', 'admin')
  @Post(':id/units/:unit/return')
  @HttpCode(200)
  sendBack(
    @Id() id: number,
    @Unit() unit: string,
    @ValidBody(DirectiveReturnInput) body: z.infer<typeof DirectiveReturnInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<DirectiveDetail> {
    return this.directives.sendBack(id, unit, body.reason, principal, ip);
  }

  @Roles('staff', 'admin')
  @Post(':id/units/:unit/close')
  @HttpCode(200)
  close(
    @Id() id: number,
    @Unit() unit: string,
    @ValidBody(DirectiveCloseInput) body: z.infer<typeof DirectiveCloseInput>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<DirectiveDetail> {
    return this.directives.close(id, unit, body.outcome, body.comment, principal, ip);
  }
}
