// The project's rules for the Compose stack, on the parsed YAML. Whether Compose itself accepts the file (known keys,
// declared volumes and networks, services that exist) is `docker compose config`'s job, run before a release.
import { imagePinProblem, interpolate, referencedVariables, type Env } from './images';

export interface ComposeService {
  image?: string;
  build?: { dockerfile?: string };
  command?: string | string[];
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  deploy?: { replicas?: number };
  ports?: Array<string | { target: number }>;
  volumes?: Array<string | { source?: string; target: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);

/** Service → the condition this one waits for. */
export function dependsOn(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition ?? 'service_started']));
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((entry) => [entry.split('=')[0] as string, entry.split(/=(.*)/)[1] ?? '']));
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** The health check's command, or '' when there is none. */
export function healthcheckTest(service: ComposeService): string {
  const test = service.healthcheck?.disable ? [] : asList(service.healthcheck?.test);
  return test[0] === 'NONE' ? '' : test.filter((part) => part !== 'CMD' && part !== 'CMD-SHELL').join(' ');
}

/** A one-shot: not restarted, and another service waits for it to complete successfully. */
export function isOneShot(compose: ComposeFile, name: string): boolean {
  const restart = compose.services[name]?.restart;
  return (
    (restart === undefined || restart === 'no') &&
    Object.values(compose.services).some((other) => dependsOn(other)[name] === 'service_completed_successfully')
  );
}

/** Pinned images, a health check on every long-running service, and on every service another waits to be healthy. */
export function checkComposeBasics(compose: ComposeFile, env: Env): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services ?? {})) {
    if (!service.image) {
      problems.push(`${name}: no image (a built service needs an image: name:version too, so it can be moved and pinned)`);
    } else {
      const { value, unresolved } = interpolate(service.image, env);
      if (unresolved.length > 0) problems.push(`${name}: image ${service.image} needs ${unresolved.join(', ')}`);
      const pin = imagePinProblem(value);
      if (pin) problems.push(`${name}: image ${pin}`);
    }
    if (!isOneShot(compose, name) && healthcheckTest(service) === '') problems.push(`${name}: no health check`);
    for (const [dependency, condition] of Object.entries(dependsOn(service))) {
      const other = compose.services[dependency];
      if (other && condition === 'service_healthy' && healthcheckTest(other) === '') {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no health check`);
      }
    }
  }
  return problems;
}

/**
 * No literal secret in the file: passwords (also inside URLs) only as ${VAR} or ${VAR:?message}, filled from the
 * git-ignored .env; never a literal, never a ${VAR:-default}.
 */
export function checkComposeSecrets(compose: ComposeFile): string[] {
  // each ${...} becomes %NAME%, or %DEFAULTED% when it carries a default value
  const mask = (value: string) =>
    value.replace(/\$\{(\w+)(?::?([-?])[^}]*)?\}/g, (_m, name: string, op?: string) => (op === '-' ? '%DEFAULTED%' : `%${name}%`));
  const fromEnvFile = (masked: string) => /^%\w+%$/.test(masked) && masked !== '%DEFAULTED%';
  return Object.entries(compose.services).flatMap(([name, service]) =>
    Object.entries(environmentOf(service)).flatMap(([key, value]) => {
      const masked = mask(value);
      const urlPassword = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(masked)?.[1];
      return [
        ...(/PASSWORD|SECRET|TOKEN|AUTH/i.test(key) && value !== '' && !fromEnvFile(masked)
          ? [`${name}: ${key} is not taken from the environment file (\${VAR} with no default)`]
          : []),
        ...(urlPassword !== undefined && !fromEnvFile(urlPassword)
          ? [`${name}: ${key} has a password in its URL that is not taken from the environment file`]
          : []),
      ];
    }),
  );
}

/** Every ${VAR} of the compose file is described in the example environment file. */
export function undocumentedVariables(composeText: string, envExampleText: string): string[] {
  const documented = envFileKeys(envExampleText, { includeCommented: true });
  return referencedVariables(composeText.replace(/^\s*#.*$/gm, '')).filter((name) => !documented.has(name));
}

/** Keys of a .env file; with includeCommented, also `# KEY=…` and `# KEY: …` lines (documented defaults). */
export function envFileKeys(text: string, options: { includeCommented: boolean }): Set<string> {
  const pattern = options.includeCommented
    ? /^\s*(?:export\s+)?(\w+)=|^\s*#\s*([A-Z][A-Z0-9_]+)(?:[=:\s]|$)/gm
    : /^\s*(?:export\s+)?(\w+)=/gm;
  return new Set([...text.matchAll(pattern)].map((match) => (match[1] ?? match[2]) as string));
}

/** The values a .env file sets (uncommented lines). */
export const envFileValues = (text: string): Env =>
  Object.fromEntries(
    [...text.matchAll(/^\s*(?:export\s+)?(\w+)=(.*)$/gm)].map((m) => [m[1], (m[2] as string).trim().replace(/^(['"])(.*)\1$/, '$2')]),
  );

/** Container side of a port mapping ("8080", "80:8080", "0.0.0.0:80:8080/tcp", "${BIND}:${PORT:-80}:8080", long syntax). */
export const containerPort = (mapping: string | { target: number }): number =>
  typeof mapping === 'string' ? Number(/(\d+)(?:\/\w+)?$/.exec(mapping)?.[1]) : Number(mapping.target);
