/** The reference catalog: the units, indicators and targets of the government notices, seeded into a new database. */
export { CURRENT_PROVINCE_CODES, MINISTRY_REFORM_DATE, PROVINCE_REFORM_DATE, seedUnits } from './units';
export { seedMetrics } from './metrics';
export { seedTargets } from './targets';
export { egdiSurveyFigures } from './egdi';
