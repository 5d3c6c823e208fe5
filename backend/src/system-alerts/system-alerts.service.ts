import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { JobProblem, SystemAlert } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { EventBus } from '../events/event-bus';
import type { JobsChecked } from '../events/event-map';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { SystemAlertsRepository, type SystemProblem } from './system-alerts.repository';

/** Resolved system alerts stay listed this long. */
const RESOLVED_LISTED_MS = 7 * 24 * 3600_000;

/** The alert for one job problem: the subject names the job, so a job failing then overdue stays one alert. */
export function jobAlert(job: JobProblem): SystemProblem {
  const what = `${job.proc}${job.target ? ` ${job.target}` : ''}`;
  const since = job.lastSuccessAt ? ` (last success ${job.lastSuccessAt})` : ' (never succeeded)';
  const sinceVi = job.lastSuccessAt ? ` (lần thành công gần nhất ${job.lastSuccessAt})` : ' (chưa từng thành công)';
  const error = job.lastError ? `: ${job.lastError}` : '';
  return {
    kind: 'timescaledb_job',
    subject: `job ${job.jobId} ${what}`,
    problem: job.problem,
    messageVi:
      job.problem === 'failing'
        ? `Tác vụ TimescaleDB ${job.jobId} (${what}) đang lỗi${error}${sinceVi}. Số liệu tổng hợp có thể không được cập nhật.`
        : `Tác vụ TimescaleDB ${job.jobId} (${what}) bị trễ hạn${sinceVi}. Số liệu tổng hợp có thể không được cập nhật.`,
    messageEn:
      job.problem === 'failing'
        ? `TimescaleDB job ${job.jobId} (${what}) is failing${error}${since}. Aggregated figures may be out of date.`
        : `TimescaleDB job ${job.jobId} (${what}) is overdue${since}. Aggregated figures may be out of date.`,
    details: { ...job },
  };
}

/** The alert while the server runs no TimescaleDB scheduler for dxoc's database (one per database: one subject). */
export const SCHEDULER_ABSENT: SystemProblem = {
  kind: 'timescaledb_scheduler',
  subject: 'TimescaleDB scheduler',
  problem: 'absent',
  messageVi:
    'Máy chủ TimescaleDB không chạy bộ lập lịch tác vụ cho cơ sở dữ liệu của dxoc (các tiến trình nền đã bị dùng hết hoặc bị dừng). dxoc tự chạy các tác vụ đến hạn; hãy tăng timescaledb.max_background_workers và max_worker_processes hoặc khởi động lại bộ lập lịch.',
  messageEn:
    "The TimescaleDB server runs no job scheduler for dxoc's database (its background workers are all taken, or were stopped). dxoc runs the due jobs itself; raise timescaledb.max_background_workers and max_worker_processes, or start the scheduler again.",
  details: {},
};

/**
 * Alerts to admins about dxoc itself. Every instance checks the TimescaleDB jobs and reports here; the database
 * keeps one open alert per problem, so the admins hear of a new problem once (a 'notification.requested' for the
 * role admin, and a warning in the log) however many instances see it, and the alert resolves when it is gone.
 */
@Injectable()
export class SystemAlertsService implements OnModuleInit {
  constructor(
    @Inject(SystemAlertsRepository) private readonly repository: SystemAlertsRepository,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.bus.on('timescaledb.jobs_checked', (checked) => this.jobsChecked(checked));
  }

  async jobsChecked({ problems, scheduler }: JobsChecked): Promise<void> {
    const now = this.clock.now();
    const open = problems.map(jobAlert);
    if (scheduler === 'absent') open.push(SCHEDULER_ABSENT);
    for (const problem of open) {
      const { alert, raised } = await this.repository.raise(problem, now);
      if (raised) this.announce(alert);
    }
    for (const kind of ['timescaledb_job', 'timescaledb_scheduler'] as const) {
      const subjects = open.filter((p) => p.kind === kind).map((p) => p.subject);
      for (const alert of await this.repository.resolveAllBut(kind, subjects, now)) {
        this.logger.info('system_alert.resolved', { id: alert.id, kind: alert.kind, subject: alert.subject });
      }
    }
  }

  list(): Promise<SystemAlert[]> {
    return this.repository.list(new Date(this.clock.now().getTime() - RESOLVED_LISTED_MS));
  }

  private announce(alert: SystemAlert): void {
    this.logger.warn('system_alert.raised', { id: alert.id, kind: alert.kind, subject: alert.subject, problem: alert.problem });
    this.bus.emit('notification.requested', {
      subject: { kind: 'system_alert', id: alert.id },
      audience: { roles: ['admin'] },
      title: { vi: `Sự cố hệ thống: ${alert.subject}`, en: `System problem: ${alert.subject}` },
      body: { vi: alert.messageVi, en: alert.messageEn },
      severity: 'critical',
    });
  }
}
