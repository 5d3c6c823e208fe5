import { Controller, Get, Inject, Query } from '@nestjs/common';
import { AggregateQuery, HistoryQuery, LatestQuery, SeriesQuery, type AggregateResponse, type HistoryResponse, type LatestResponse, type SeriesResponse } from '@dxoc/contracts';
import { parseWith } from '../http/validation';
import { QueryService } from './query.service';

@Controller('api/v1')
export class QueryController {
  constructor(@Inject(QueryService) private readonly query: QueryService) {}

  @Get('series')
  series(@Query() query: unknown): Promise<SeriesResponse> {
    return this.query.series(parseWith(SeriesQuery, query));
  }

  @Get('aggregate')
  aggregate(@Query() query: unknown): Promise<AggregateResponse> {
    return this.query.aggregate(parseWith(AggregateQuery, query));
  }

  @Get('latest')
  latest(@Query() query: unknown): Promise<LatestResponse> {
    return this.query.latest(parseWith(LatestQuery, query));
  }

  @Get('history')
  history(@Query() query: unknown): Promise<HistoryResponse> {
    return this.query.history(parseWith(HistoryQuery, query));
  }
}
