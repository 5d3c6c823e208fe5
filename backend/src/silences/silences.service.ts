import { Inject, Injectable } from '@nestjs/common';
import type { Principal, Silence, SilenceInput, SilencesQuery } from '@dxoc/contracts';
import type { z } from 'zod';
import { AuditService } from '../auth/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { AppError, badRequest, notFound } from '../http/errors';
import { SilencesRepository } from './silences.repository';

/** Silences: staff and admin mute a rule, a unit or both for a period with a reason; every change is audited. */
@Injectable()
export class SilencesService {
  constructor(
    @Inject(SilencesRepository) private readonly repository: SilencesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(query: z.output<typeof SilencesQuery>): Promise<Silence[]> {
    const active = query.active === undefined ? null : query.active === 'true';
    return this.repository.list(active, this.clock.now(), query.limit);
  }

  async create(input: z.output<typeof SilenceInput>, principal: Principal, ip: string): Promise<Silence> {
    const now = this.clock.now();
    const startsAt = input.startsAt ? new Date(input.startsAt) : now;
    const endsAt = new Date(input.endsAt);
    // A silence that is over before it is made would mute nothing: most likely a mistyped date.
    if (endsAt <= now)
      throw badRequest('invalid_silence', `endsAt (${endsAt.toISOString()}) must be in the future`, [
        { field: 'endsAt', message: 'must be in the future' },
      ]);
    if (endsAt <= startsAt)
      throw badRequest('invalid_silence', 'endsAt must be after startsAt', [{ field: 'endsAt', message: 'must be after startsAt' }]);
    if (input.ruleId !== null && !(await this.repository.ruleExists(input.ruleId)))
      throw badRequest('unknown_rule', `no alert rule with id ${input.ruleId}`, [{ field: 'ruleId', message: 'unknown rule' }]);
    if (input.unit !== null && !(await this.repository.unitExists(input.unit)))
      throw badRequest('unknown_unit', `no unit with code ${input.unit}`, [{ field: 'unit', message: 'unknown unit' }]);
    const id = await this.repository.insert(
      { ruleId: input.ruleId, unit: input.unit, startsAt, endsAt, reason: input.reason, createdBy: principal.name },
      now,
    );
    const after = (await this.repository.get(undefined, id, now)) as Silence;
    await this.audit.record({ actor: principal.name, action: 'silence.create', target: `silence:${id}`, before: null, after, ip });
    return after;
  }

  /** Ends a silence now (before its planned end); one already over is refused (409). */
  async end(id: number, principal: Principal, ip: string): Promise<Silence> {
    const now = this.clock.now();
    const { before, after } = await this.repository.transaction(async (tx) => {
      const before = await this.repository.lock(tx, id, now);
      if (!before) throw notFound(`no silence with id ${id}`);
      if (!before.active)
        throw new AppError(409, 'silence_over', `silence ${id} is already over`, { endsAt: before.endsAt, endedAt: before.endedAt });
      await this.repository.end(tx, id, principal.name, now);
      return { before, after: (await this.repository.get(tx, id, now)) as Silence };
    });
    await this.audit.record({ actor: principal.name, action: 'silence.end', target: `silence:${id}`, before, after, ip });
    return after;
  }
}
