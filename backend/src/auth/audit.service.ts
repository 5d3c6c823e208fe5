import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { AuditRepository, type AuditRecord } from './audit.repository';

/** Security-relevant actions: who, when, what, before/after. Never store secrets here. */
@Injectable()
export class AuditService {
  constructor(
    @Inject(AuditRepository) private readonly repository: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  record(record: AuditRecord): Promise<void> {
    return this.repository.insert(record, this.clock.now());
  }
}
