import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service';
import { PLAUSIBLE_MAGNITUDE, plausibleRange, type MetricUpdate, type TargetInput, type UnitUpdate } from '@dxoc/contracts';
import { AppError, badRequest, notFound } from '../http/errors';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import type { Metric, Target, Unit } from './catalog.types';

/** Edits of the reference catalog by staff (targets) and admins (metrics, units), each one audited. */
@Injectable()
export class CatalogAdminService {
  constructor(
    @Inject(CatalogRepository) private readonly repository: CatalogRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async updateMetric(code: string, update: MetricUpdate, actor: string, ip: string): Promise<Metric> {
    const before = (await this.catalog.snapshot()).metrics.get(code);
    if (!before) throw notFound(`unknown metric "${code}"`);
    const after = { ...before, ...stripUndefined(update) };
    // every metric keeps a finite range (null = the default for its unit of measure), so that no accepted value can
    // make a sum overflow: bounds beyond ±PLAUSIBLE_MAGNITUDE, or an empty range, are refused
    for (const side of ['min', 'max'] as const) {
      const bound = update[side];
      if (bound !== undefined && bound !== null && Math.abs(bound) > PLAUSIBLE_MAGNITUDE)
        throw badRequest('invalid_metric', `${side} (${bound}) must lie within ±${PLAUSIBLE_MAGNITUDE}`, [
          { field: side, message: `${side} must lie within ±${PLAUSIBLE_MAGNITUDE}` },
        ]);
    }
    const range = plausibleRange(after);
    if (range.min >= range.max)
      throw badRequest(
        'invalid_metric',
        `min (${range.min}) must be less than max (${range.max})${after.min === null || after.max === null ? ' (an unset bound is the default for the unit of measure)' : ''}`,
        [{ field: update.min !== undefined ? 'min' : 'max', message: `min must be less than max` }],
      );
    if (before.kind === 'ratio' && ((after.min ?? 0) < 0 || (after.max ?? 100) > 100 || after.min === null || after.max === null)) {
      throw badRequest('invalid_metric', 'a ratio stays within 0..100: min and max must be set inside that range');
    }
    await this.repository.updateMetric(code, stripUndefined(update));
    await this.audit.record({
      actor,
      action: 'metric.update',
      target: code,
      before: pick(before, update),
      after: stripUndefined(update),
      ip,
    });
    this.catalog.invalidate();
    return (await this.catalog.snapshot()).metrics.get(code) as Metric;
  }

  async updateUnit(code: string, update: UnitUpdate, actor: string, ip: string): Promise<Unit> {
    const before = (await this.catalog.snapshot()).units.get(code);
    if (!before) throw notFound(`unknown unit "${code}"`);
    await this.repository.updateUnit(code, stripUndefined(update));
    await this.audit.record({
      actor,
      action: 'unit.update',
      target: code,
      before: pick(before, update),
      after: stripUndefined(update),
      ip,
    });
    this.catalog.invalidate();
    return (await this.catalog.snapshot()).units.get(code) as Unit;
  }

  async createTarget(input: TargetInput, actor: string, ip: string): Promise<Target> {
    await this.checkTarget(input);
    const id = await this.repository.insertTarget(input);
    if (id === null)
      throw new AppError(
        409,
        'target_exists',
        `the same target (${input.metricCode}, ${input.unitCode}, ${input.value} by ${input.deadline}) already exists`,
      );
    await this.audit.record({ actor, action: 'target.create', target: String(id), after: input, ip });
    return this.reloadTarget(id);
  }

  async updateTarget(id: number, input: TargetInput, actor: string, ip: string): Promise<Target> {
    const before = await this.findTarget(id);
    await this.checkTarget(input);
    await this.repository.updateTarget(id, input);
    await this.audit.record({ actor, action: 'target.update', target: String(id), before, after: input, ip });
    return this.reloadTarget(id);
  }

  async deleteTarget(id: number, actor: string, ip: string): Promise<void> {
    const before = await this.findTarget(id);
    const rules = await this.repository.rulesUsingTarget(id);
    if (rules.length > 0)
      throw new AppError(409, 'target_in_use', `alert rule(s) ${rules.join(', ')} watch this target; change or disable them first`);
    await this.repository.deleteTarget(id);
    await this.audit.record({ actor, action: 'target.delete', target: String(id), before, ip });
    this.catalog.invalidate();
  }

  private async checkTarget(input: TargetInput): Promise<void> {
    const catalog = await this.catalog.snapshot();
    const metric = catalog.metrics.get(input.metricCode);
    const unit = catalog.units.get(input.unitCode);
    const problems: { field: string; message: string }[] = [];
    if (!metric) problems.push({ field: 'metricCode', message: `unknown metric "${input.metricCode}"` });
    if (!unit) problems.push({ field: 'unitCode', message: `unknown unit "${input.unitCode}"` });
    if (metric && unit && !metric.unitKinds.includes(unit.kind)) {
      problems.push({
        field: 'unitCode',
        message: `"${metric.code}" is reported for ${metric.unitKinds.join('/')} units, not ${unit.kind} "${unit.code}"`,
      });
    }
    if (metric && ((metric.min !== null && input.value < metric.min) || (metric.max !== null && input.value > metric.max))) {
      problems.push({
        field: 'value',
        message: `${input.value} is outside the valid range of "${metric.code}" (${metric.min ?? '-∞'}..${metric.max ?? '+∞'})`,
      });
    }
    if (Number.isNaN(Date.parse(`${input.deadline}T00:00:00Z`)))
      problems.push({ field: 'deadline', message: `"${input.deadline}" is not a date` });
    if (problems.length > 0) throw badRequest('invalid_target', `invalid target: ${problems.map((p) => p.message).join('; ')}`, problems);
  }

  private async findTarget(id: number): Promise<Target> {
    const target = (await this.catalog.snapshot()).targets.find((t) => t.id === id);
    if (!target) throw notFound(`no target with id ${id}`);
    return target;
  }

  private async reloadTarget(id: number): Promise<Target> {
    this.catalog.invalidate();
    return this.findTarget(id);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function pick(source: object, keysOf: object): Record<string, unknown> {
  return Object.fromEntries(Object.keys(stripUndefined(keysOf)).map((key) => [key, (source as Record<string, unknown>)[key]]));
}
