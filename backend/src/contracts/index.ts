export * from './rest';
export * from './auth';
export * from './alerts';
export * from './socket';
export type { IngestAccepted, IngestBatch, IngestPoint, IngestErrorDetail } from '@dxoc/ingest';
