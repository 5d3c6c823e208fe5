/**
 * @dxoc/contracts: every shape that crosses a boundary (REST, ingest, socket), the catalog vocabulary, durations,
 * periods and the configured-time-zone calendar, each written once and imported by every end. The reference
 * catalog the backend seeds is a separate entry (`@dxoc/contracts/reference`) so a browser bundle never pulls it.
 */
export * from './catalog';
export * from './durations';
export * from './calendar';
export * from './series-key';
export * from './ingest';
export * from './rest';
export * from './auth';
export * from './alerts';
export * from './alert-conditions';
export * from './targets';
export * from './directives';
export * from './socket';
export * from './redact';
export * from './reports';
export * from './ingest-log';
export * from './notifications';
