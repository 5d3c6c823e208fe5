export * from './schema';
export {
  DEFAULT_PAGES_DIR,
  DashboardDefinitionError,
  formatProblem,
  loadDashboards,
  parseDashboardFile,
  sortPages,
  validateDashboards,
} from './loader';
export type { DefinitionProblem, LoadOptions, ValidationResult } from './loader';
export { checkReferences } from './references';
export type { DashboardCatalog, UnitKind } from './references';
