import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { QueryController } from './query.controller';
import { QueryService } from './query.service';
import { SeriesRepository } from './series.repository';

/** Series, aggregates, latest values and revision history. */
@Module({
  imports: [CatalogModule],
  controllers: [QueryController],
  providers: [SeriesRepository, QueryService],
  exports: [SeriesRepository],
})
export class QueryModule {}
