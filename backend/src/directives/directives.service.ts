import { Inject, Injectable } from '@nestjs/common';
import {
  localDay,
  type AssignmentState,
  type Directive,
  type DirectiveAnswerInput,
  type DirectiveDetail,
  type DirectiveEventKind,
  type DirectiveOutcome,
  type DirectivesQuery,
  type DirectiveList,
  type OverdueSummary,
  type Principal,
} from '@dxoc/contracts';
import type { z } from 'zod';
import type { DirectiveInput } from '@dxoc/contracts';
import { AuditService } from '../auth/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EventBus } from '../events/event-bus';
import type { DirectiveChanged } from '../events/event-map';
import { AppError, badRequest, forbidden, notFound } from '../http/errors';
import type { Queryable } from '../db/database';
import { cleanFileName, sniffAttachment, type AttachmentType } from './attachment';
import { DirectivesRepository, PENDING_STATES, type StoredAttachment } from './directives.repository';

type Input = z.output<typeof DirectiveInput>;

/** Which states each step may start from. */
const FROM: Record<'answer' | 'attachment' | 'return' | 'close', AssignmentState[]> = {
  answer: ['open', 'returned'],
  attachment: ['open', 'returned', 'answered'],
  return: ['answered'],
  close: PENDING_STATES,
};

/** Directives: staff issue, each addressed unit's operators answer for their unit, staff send back or close. */
@Injectable()
export class DirectivesService {
  constructor(
    @Inject(DirectivesRepository) private readonly repository: DirectivesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Today's date in the configured (Viet Nam) time zone: a directive due D is overdue from D + 1. */
  today(): string {
    return localDay(this.clock.now(), this.config.timezone);
  }

  async issue(input: Input, principal: Principal, ip: string): Promise<DirectiveDetail> {
    const units = [...new Set(input.units)].sort();
    const known = await this.repository.knownUnits(units);
    const unknown = units.filter((u) => !known.includes(u));
    if (unknown.length > 0) throw badRequest('unknown_unit', `no unit with code ${unknown.join(', ')}`, { units: unknown });
    if (input.source.kind === 'alert' && !(await this.repository.alertExists(input.source.alertId)))
      throw badRequest('unknown_alert', `no alert with id ${input.source.alertId}`);
    const now = this.clock.now();
    const id = await this.repository.transaction(async (tx) => {
      const id = await this.repository.insertDirective(
        tx,
        {
          titleVi: input.titleVi,
          titleEn: input.titleEn || null,
          textVi: input.textVi,
          textEn: input.textEn || null,
          dueDate: input.dueDate,
          source: input.source,
          issuedBy: principal.name,
        },
        units,
        now,
      );
      await this.repository.insertEvent(
        tx,
        { directiveId: id, unit: null, kind: 'issued', actor: principal.name, text: input.titleVi },
        now,
      );
      return id;
    });
    const after = await this.detail(id, null);
    await this.audit.record({ actor: principal.name, action: 'directive.issue', target: `directive:${id}`, after: strip(after), ip });
    this.announce(id, 'issued', units, principal.name);
    return after;
  }

  async list(query: DirectivesQuery, principal: Principal): Promise<DirectiveList> {
    const own = operatorUnit(principal);
    if (own !== null && query.unit !== undefined && query.unit !== own)
      throw forbidden('forbidden_unit', `an operator of unit ${own} sees the directives addressed to that unit only`);
    const today = this.today();
    const items = await this.repository.list({
      unit: own ?? query.unit ?? null,
      state: query.state ?? null,
      dueBefore: query.dueBefore ?? null,
      dueAfter: query.dueAfter ?? null,
      overdueOn: query.overdue === 'true' ? today : null,
      today,
      before: query.before ?? null,
      limit: query.limit,
    });
    return { items, nextBefore: items.length === query.limit ? (items[items.length - 1] as Directive).id : null };
  }

  /** One directive with its history; to an operator, one not addressed to its unit does not exist (404). */
  async get(id: number, principal: Principal): Promise<DirectiveDetail> {
    return this.detail(id, operatorUnit(principal));
  }

  async answer(id: number, unit: string, body: DirectiveAnswerInput, principal: Principal, ip: string): Promise<DirectiveDetail> {
    return this.step(id, unit, principal, ip, 'answer', 'answered', body.explanation, (tx, now) =>
      this.repository.answer(tx, id, unit, body, principal.name, now),
    );
  }

  async sendBack(id: number, unit: string, reason: string, principal: Principal, ip: string): Promise<DirectiveDetail> {
    return this.step(id, unit, principal, ip, 'return', 'returned', reason, (tx, now) =>
      this.repository.sendBack(tx, id, unit, reason, now),
    );
  }

  async close(
    id: number,
    unit: string,
    outcome: DirectiveOutcome,
    comment: string | undefined,
    principal: Principal,
    ip: string,
  ): Promise<DirectiveDetail> {
    const text = comment ? `${outcome}: ${comment}` : outcome;
    return this.step(id, unit, principal, ip, 'close', 'closed', text, (tx, now) =>
      this.repository.close(tx, id, unit, outcome, principal.name, now),
    );
  }

  /**
   * Stores the file of one unit's answer (replacing an earlier one). Its type is read from its first bytes: a PDF,
   * PNG or JPEG; anything else is refused with 415 and nothing is stored.
   */
  async putAttachment(
    id: number,
    unit: string,
    body: unknown,
    fileName: string | undefined,
    principal: Principal,
    ip: string,
  ): Promise<DirectiveDetail> {
    if (!(body instanceof Uint8Array) || body.length === 0)
      throw badRequest('empty_attachment', 'send the file itself as the request body (PDF, PNG or JPEG). Nothing was stored.');
    const max = this.config.directiveAttachmentMaxBytes;
    if (body.length > max) throw attachmentTooLarge(max);
    const sniffed = sniffAttachment(body);
    if (!sniffed)
      throw new AppError(
        415,
        'unsupported_attachment_type',
        'the file is not a PDF, PNG or JPEG (its content was checked, not its name or declared type). Nothing was stored.',
        { accepted: ['application/pdf', 'image/png', 'image/jpeg'] },
      );
    const file: StoredAttachment = {
      fileName: cleanFileName(fileName, sniffed.ext),
      contentType: sniffed.type satisfies AttachmentType,
      size: body.length,
      content: body,
    };
    return this.step(
      id,
      unit,
      principal,
      ip,
      'attachment',
      'attachment',
      `${file.fileName} (${file.contentType}, ${file.size} bytes)`,
      (tx, now) => this.repository.putAttachment(tx, id, unit, file, principal.name, now),
    );
  }

  async attachment(id: number, unit: string, principal: Principal): Promise<StoredAttachment> {
    this.mayActFor(unit, principal, id);
    const file = await this.repository.getAttachment(id, unit);
    if (!file) throw notFound(`directive ${id} has no attachment for unit ${unit}`);
    return file;
  }

  async withdraw(id: number, reason: string | undefined, principal: Principal, ip: string): Promise<DirectiveDetail> {
    const now = this.clock.now();
    const before = await this.detail(id, null);
    const units = await this.repository.transaction(async (tx) => {
      const locked = await this.repository.lockDirective(tx, id);
      if (!locked) throw notFound(`no directive with id ${id}`);
      if (locked.withdrawnAt !== null) throw new AppError(409, 'directive_withdrawn', `directive ${id} is already withdrawn`);
      const units = await this.repository.withdraw(tx, id, now);
      await this.repository.insertEvent(
        tx,
        { directiveId: id, unit: null, kind: 'withdrawn', actor: principal.name, text: reason ?? null },
        now,
      );
      return units;
    });
    const after = await this.detail(id, null);
    await this.audit.record({
      actor: principal.name,
      action: 'directive.withdraw',
      target: `directive:${id}`,
      before: strip(before),
      after: strip(after),
      ip,
    });
    this.announce(id, 'withdrawn', units, principal.name);
    return after;
  }

  /** Per unit with overdue assignments: how many and the oldest (viewers read this for the wall). */
  async overdue(): Promise<OverdueSummary> {
    const asOf = this.today();
    const rows = await this.repository.overdueByUnit(asOf);
    return {
      asOf,
      units: rows.map((r) => ({
        unit: r.unit,
        overdue: r.overdue,
        oldest: { directiveId: r.directiveId, titleVi: r.titleVi, titleEn: r.titleEn, dueDate: r.dueDate },
      })),
    };
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private async detail(id: number, unit: string | null, q?: Queryable): Promise<DirectiveDetail> {
    const directive = await this.repository.getDirective(id, unit, this.today(), q);
    if (!directive) throw notFound(`no directive with id ${id}`);
    return { ...directive, history: await this.repository.events(id, unit, q) };
  }

  /** An operator acts only for its own unit: another unit's assignment does not exist to it (404). */
  private mayActFor(unit: string, principal: Principal, id: number): void {
    const own = operatorUnit(principal);
    if (own !== null && own !== unit) throw notFound(`no directive with id ${id} addressed to unit ${unit}`);
  }

  /** One step on one unit's assignment: check the state, change it, record the event, audit, announce. */
  private async step(
    id: number,
    unit: string,
    principal: Principal,
    ip: string,
    action: keyof typeof FROM,
    kind: DirectiveEventKind,
    text: string | null,
    change: (tx: Queryable, now: Date) => Promise<void>,
  ): Promise<DirectiveDetail> {
    this.mayActFor(unit, principal, id);
    const now = this.clock.now();
    const before = await this.repository.getDirective(id, unit, this.today()).catch(() => null);
    await this.repository.transaction(async (tx) => {
      const directive = await this.repository.lockDirective(tx, id);
      const assignment = directive ? await this.repository.lockAssignment(tx, id, unit) : null;
      if (!directive || !assignment) throw notFound(`no directive with id ${id} addressed to unit ${unit}`);
      if (!FROM[action].includes(assignment.state))
        throw new AppError(
          409,
          'invalid_directive_state',
          `unit ${unit}'s part of directive ${id} is ${assignment.state}: ${action} is possible only when ${FROM[action].join(' or ')}`,
          { state: assignment.state, allowedFrom: FROM[action] },
        );
      await change(tx, now);
      await this.repository.insertEvent(tx, { directiveId: id, unit, kind, actor: principal.name, text }, now);
    });
    const after = await this.detail(id, operatorUnit(principal));
    await this.audit.record({
      actor: principal.name,
      action: `directive.${action}`,
      target: `directive:${id}:${unit}`,
      before: before?.assignments[0] ?? null,
      after: after.assignments.find((a) => a.unit === unit) ?? null,
      ip,
    });
    this.announce(id, kind === 'closed' ? 'completed' : 'updated', [unit], principal.name);
    return after;
  }

  private announce(directiveId: number, change: DirectiveChanged['change'], units: string[], actor: string): void {
    this.bus.emit('directive.changed', { directiveId, change, units, actor });
  }
}

export function attachmentTooLarge(max: number): AppError {
  return new AppError(413, 'attachment_too_large', `the file is larger than the limit of ${max} bytes. Nothing was stored.`, {
    maxBytes: max,
  });
}

/** An audit row keeps the directive without its history (the events are their own record). */
function strip(d: DirectiveDetail): Omit<DirectiveDetail, 'history'> {
  const { history: _history, ...rest } = d;
  return rest;
}

/** The unit an operator is bound to; null for every other role. */
function operatorUnit(principal: Principal | undefined): string | null {
  return principal?.role === 'operator' ? (principal.unitCode ?? '') : null;
}
