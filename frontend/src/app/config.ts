/**
 * What a deployment configures without rebuilding: the organisation's name and emblem on the wall.
 * Served with the build as /config/wall.json (replace that file to rebrand; an air-gapped emblem is a file
 * next to it, e.g. "emblemUrl": "/config/emblem.svg").
 */
export interface WallConfig {
  organization: { vi: string; en: string };
  emblemUrl: string | null;
  /** optional second line under the organisation's name */
  subtitle: { vi: string; en: string } | null;
}

export const DEFAULT_CONFIG: WallConfig = {
  organization: { vi: 'Ủy ban Quốc gia về chuyển đổi số', en: 'National Committee on Digital Transformation' },
  emblemUrl: null,
  subtitle: null,
};

function text(value: unknown): { vi: string; en: string } | null {
  if (!value || typeof value !== 'object') return null;
  const { vi, en } = value as Record<string, unknown>;
  return typeof vi === 'string' && vi && typeof en === 'string' && en ? { vi, en } : null;
}

/** Tolerant: a missing or malformed field falls back to the default, the wall never fails on its config. */
export function parseConfig(json: unknown): WallConfig {
  if (!json || typeof json !== 'object') return DEFAULT_CONFIG;
  const raw = json as Record<string, unknown>;
  return {
    organization: text(raw.organization) ?? DEFAULT_CONFIG.organization,
    emblemUrl: typeof raw.emblemUrl === 'string' && raw.emblemUrl ? raw.emblemUrl : null,
    subtitle: text(raw.subtitle),
  };
}

export async function loadConfig(): Promise<WallConfig> {
  try {
    const response = await fetch('/config/wall.json', { cache: 'no-cache' });
    if (!response.ok) return DEFAULT_CONFIG;
    return parseConfig(await response.json());
  } catch {
    return DEFAULT_CONFIG;
  }
}
