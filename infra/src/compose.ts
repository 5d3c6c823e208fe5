// Checks of a Docker Compose file that need no Docker engine.
import { imagePinProblem, interpolate, referencedVariables, type Env } from './images';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | string[] | Array<{ path: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  deploy?: { replicas?: number };
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

export const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);

export function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition ?? 'service_started']));
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** A one-shot: not restarted, and another service waits for it to complete successfully. */
export function isOneShot(compose: ComposeFile, name: string): boolean {
  const service = compose.services[name];
  if (!service || (service.restart !== undefined && service.restart !== 'no')) return false;
  return Object.values(compose.services).some((other) => dependsOn(other)[name] === 'service_completed_successfully');
}

export function healthcheckTest(service: ComposeService): string {
  const check = service.healthcheck;
  if (!check || check.disable) return '';
  const test = asList(check.test);
  if (test[0] === 'NONE') return '';
  return test.filter((part) => part !== 'CMD' && part !== 'CMD-SHELL').join(' ');
}

/** Pinned images and a health check on every long-running service. */
export function checkComposeBasics(compose: ComposeFile, env: Env): string[] {
  const problems: string[] = [];
  if (!compose.services || Object.keys(compose.services).length === 0) return ['no services'];
  for (const [name, service] of Object.entries(compose.services)) {
    if (!service.image) {
      problems.push(`${name}: no image (a built service needs an image: name:version too, so it can be moved and pinned)`);
    } else {
      const { value, unresolved } = interpolate(service.image, env);
      if (unresolved.length > 0) problems.push(`${name}: image ${service.image} needs ${unresolved.join(', ')}`);
      const pin = imagePinProblem(value);
      if (pin) problems.push(`${name}: image ${pin}`);
    }
    if (!isOneShot(compose, name) && healthcheckTest(service) === '') {
      problems.push(`${name}: no health check`);
    }
    for (const [dependency, condition] of Object.entries(dependsOn(service))) {
      if (!compose.services[dependency]) problems.push(`${name}: depends on unknown service ${dependency}`);
      else if (condition === 'service_healthy' && healthcheckTest(compose.services[dependency] as ComposeService) === '') {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no health check`);
      }
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] ?? '' : volume.source ?? '';
      const named = source !== '' && !/^[./~$]/.test(source);
      if (named && !(compose.volumes && source in compose.volumes)) problems.push(`${name}: volume ${source} is not declared under volumes:`);
    }
  }
  return problems;
}

/**
 * No literal secret in the file: passwords (also inside URLs) only as ${VAR} or ${VAR:?message}, filled from the
 * git-ignored .env; never a literal, never a ${VAR:-default}.
 */
export function checkComposeSecrets(compose: ComposeFile): string[] {
  const problems: string[] = [];
  // each ${...} becomes %NAME%, or %DEFAULTED% when it carries a default value
  const mask = (value: string) =>
    value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])[^}]*)?\}/g, (_m, name: string, op?: string) =>
      op !== undefined && /[-+]/.test(op) ? '%DEFAULTED%' : `%${name}%`);
  const fromEnvFile = (masked: string) => /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(masked) && masked !== '%DEFAULTED%';
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(environmentOf(service))) {
      const masked = mask(value);
      if (/PASSWORD|SECRET|TOKEN|AUTH/i.test(key) && value !== '' && !fromEnvFile(masked)) {
        problems.push(`${name}: ${key} is not taken from the environment file (\${VAR} with no default)`);
      }
      const credentials = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(masked);
      if (credentials && !fromEnvFile(credentials[1] as string)) {
        problems.push(`${name}: ${key} has a password in its URL that is not taken from the environment file`);
      }
    }
  }
  return problems;
}

/** Every ${VAR} of the compose file is described in the example environment file. */
export function undocumentedVariables(composeText: string, envExampleText: string): string[] {
  const documented = envFileKeys(envExampleText, { includeCommented: true });
  const withoutComments = composeText.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n');
  return referencedVariables(withoutComments).filter((name) => !documented.has(name));
}

/** Keys of a .env file; with includeCommented, also `# KEY=…` and `# KEY: …` lines (documented defaults). */
export function envFileKeys(text: string, options: { includeCommented: boolean }): Set<string> {
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    const set = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    if (set) keys.add(set[1] as string);
    else if (options.includeCommented) {
      const commented = /^\s*#\s*([A-Z][A-Z0-9_]+)(?:=|:|\s|$)/.exec(line);
      if (commented) keys.add(commented[1] as string);
    }
  }
  return keys;
}

/** The values a .env file sets (uncommented lines). */
export function envFileValues(text: string): Env {
  const values: Env = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) values[match[1] as string] = (match[2] as string).trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** Container side of a port mapping ("8080", "80:8080", "0.0.0.0:80:8080/tcp", long syntax). */
export function containerPort(mapping: string | { target: number }): number {
  if (typeof mapping !== 'string') return Number(mapping.target);
  const withoutProtocol = mapping.split('/')[0] as string;
  // the last colon not inside ${...}
  const parts = withoutProtocol.replace(/\$\{[^}]*\}/g, (m) => m.replace(/:/g, '§')).split(':');
  return Number(parts[parts.length - 1]);
}
