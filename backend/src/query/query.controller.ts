import { Controller, Get, Inject } from '@nestjs/common';
import {
  AggregateQuery,
  HistoryQuery,
  LatestQuery,
  SeriesQuery,
  type AggregateResponse,
  type HistoryResponse,
  type LatestResponse,
  type SeriesResponse,
} from '@dxoc/contracts';
import type { z } from 'zod';
import { ValidQuery } from '../http/validation';
import { QueryService } from './query.service';

@Controller('api/v1')
export class QueryController {
  constructor(@Inject(QueryService) private readonly query: QueryService) {}

  @Get('series')
  series(@ValidQuery(SeriesQuery) query: z.infer<typeof SeriesQuery>): Promise<SeriesResponse> {
    return this.query.series(query);
  }

  @Get('aggregate')
  aggregate(@ValidQuery(AggregateQuery) query: z.infer<typeof AggregateQuery>): Promise<AggregateResponse> {
    return this.query.aggregate(query);
  }

  @Get('latest')
  latest(@ValidQuery(LatestQuery) query: z.infer<typeof LatestQuery>): Promise<LatestResponse> {
    return this.query.latest(query);
  }

  @Get('history')
  history(@ValidQuery(HistoryQuery) query: z.infer<typeof HistoryQuery>): Promise<HistoryResponse> {
    return this.query.history(query);
  }
}
