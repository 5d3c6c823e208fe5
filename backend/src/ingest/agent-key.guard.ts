import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { KeysService, type AgentIdentity } from '../keys/keys.service';
import { METRICS, type Metrics } from '../observability/metrics';
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
 * accepts agent keys. The key is checked again inside each batch's transaction (KeysService.confirmActive).
 */
@Injectable()
export class AgentKeyGuard implements CanActivate {
  constructor(
    @Inject(KeysService) private readonly keys: KeysService,
    @Inject(METRICS) private readonly metrics: Metrics,
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
      throw error;
    }
  }
}

/** The agent the AgentKeyGuard authenticated. */
export const CurrentAgent = createParamDecorator((_data: unknown, context: ExecutionContext): AgentIdentity => {
  return context.switchToHttp().getRequest<AgentRequest>().agent as AgentIdentity;
});
