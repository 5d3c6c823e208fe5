import { localDay } from '@dxoc/contracts';
import type { Unit } from '../catalog/catalog.types';

/**
 * Whether a unit is in force at an instant: validity dates are half-open local calendar days (valid_from inclusive,
 * valid_until the first day no longer in force), so 74 is in force until 30/6/2025 23:59 in Hà Nội and not after.
 */
export function inForceAt(unit: Pick<Unit, 'validFrom' | 'validUntil'>, at: Date, timeZone: string): boolean {
  const day = localDay(at, timeZone);
  return (unit.validFrom === null || unit.validFrom <= day) && (unit.validUntil === null || unit.validUntil > day);
}
