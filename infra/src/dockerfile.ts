// What the tests read from the Dockerfiles: instructions by stage. Docker builds them for real only where an engine
// runs (not here, nor in CI); the syntax is BuildKit's to judge then, the project's rules are checked here.
import { imagePinProblem } from './images';

export interface Stage {
  from: string;
  name: string | null;
  instructions: Array<{ keyword: string; args: string }>;
}

/** Stages in order; continued lines joined, comments dropped, ARG defaults (before the first FROM) put into FROM. */
export function dockerStages(text: string): Stage[] {
  const lines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\[ \t]*\r?\n/g, ' ')
    .split('\n');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const [, word, rest = ''] of lines.map((line) => /^\s*(\w+)\s*(.*?)\s*$/.exec(line)).filter((m) => m !== null)) {
    const keyword = (word as string).toUpperCase();
    if (keyword === 'FROM') {
      const [image = '', as, name] = rest.replace(/^--platform=\S+\s+/, '').split(/\s+/);
      const from = image.replace(/\$\{?(\w+)\}?/g, (match, arg: string) => args[arg] ?? match);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, instructions: [] });
    } else if (stages.length > 0) {
      (stages[stages.length - 1] as Stage).instructions.push({ keyword, args: rest });
    } else if (keyword === 'ARG') {
      const [arg = '', value = ''] = rest.split(/=(.*)/);
      args[arg] = value.replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return stages;
}

export function finalStage(text: string): Stage {
  const final = dockerStages(text).at(-1);
  if (!final) throw new Error('no FROM');
  return final;
}

/** Pinned base images, and a final stage that runs as a numeric non-root user with a health check. */
export function checkDockerfile(text: string): string[] {
  const stages = dockerStages(text);
  if (stages.length === 0) return ['no FROM'];
  const earlier = new Set(stages.map((stage) => stage.name));
  const problems = stages
    .filter((stage) => !earlier.has(stage.from))
    .flatMap((stage) => imagePinProblem(stage.from) ?? [])
    .map((pin) => `FROM ${pin}`);
  const final = stages[stages.length - 1] as Stage;
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
  const user = last('USER')?.split(':')[0]?.trim();
  if (!user) problems.push('the final stage has no USER: it would run as root');
  else if (user === 'root' || user === '0') problems.push(`the final stage runs as ${user}`);
  else if (!/^\d+$/.test(user)) problems.push(`USER ${user}: use the numeric uid so Kubernetes can verify runAsNonRoot`);
  if (/^(NONE)?$/i.test(last('HEALTHCHECK') ?? '')) problems.push('the final stage has no HEALTHCHECK');
  return problems;
}

/** The ports a stage EXPOSEs. */
export const exposedPorts = (stage: Stage): number[] =>
  stage.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));

/** ENV of a stage (KEY=value pairs). */
export const stageEnv = (stage: Stage): Record<string, string> =>
  Object.fromEntries(
    stage.instructions
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) =>
        [...i.args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [m[1], (m[2] as string).replace(/^"(.*)"$/, '$1')]),
      ),
  );

/** The JSON-array form of an instruction (ENTRYPOINT, CMD, HEALTHCHECK … CMD) as a list, or null. */
export function execForm(args: string): string[] | null {
  try {
    const parsed = JSON.parse(/(\[.*\])\s*$/.exec(args)?.[1] ?? 'null') as unknown;
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : null;
  } catch {
    return null;
  }
}
