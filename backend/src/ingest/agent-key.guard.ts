import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { KeyRefused, KeysService, type AgentIdentity } from '../keys/keys.service';
import { METRICS, type Metrics } from '../observability/metrics';
import { IngestLogService } from './ingest-log.service';
import { IngestMeter } from './ingest-meter';

interface AgentRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  agent?: AgentIdentity;
}

/**
 * Agent-key authentication for ingest: "Authorization: Bearer dxoc_<id>_<secret>", checked by KeysService. A
 * missing, malformed, unknown or revoked key is refused with 401 unauthorized and "WWW-Authenticate: Bearer"; the
 * refusal is counted in the ingest metrics. The route is @Public() to the session guard (AuthGuard), which never
 * accepts agent keys. The key is checked again inside each batch's transaction (KeysService.confirmActive). A refusal
 * of a key that exists (a stale secret, a revoked key) is recorded in the ingest log for that key's operator.
 */
@Injectable()
export class AgentKeyGuard implements CanActivate {
  constructor(
    @Inject(KeysService) private readonly keys: KeysService,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(IngestLogService) private readonly log: IngestLogService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AgentRequest>();
    const meter = IngestMeter.of(request, this.metrics);
    const authorization = request.headers.authorization;
    try {
      request.agent = await this.keys.authenticate(typeof authorization === 'string' ? authorization : undefined);
      return true;
    } catch (error) {
      meter.refused(error);
      if (error instanceof KeyRefused) this.log.recordRefusal(error.keyId, request.body, error);
      throw error;
    }
  }
}

/** The agent the AgentKeyGuard authenticated. */
export const CurrentAgent = createParamDecorator((_data: unknown, context: ExecutionContext): AgentIdentity => {
  return context.switchToHttp().getRequest<AgentRequest>().agent as AgentIdentity;
});
