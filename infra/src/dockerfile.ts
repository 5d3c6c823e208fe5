// A Dockerfile reader: instructions grouped by stage, ARG defaults substituted into FROM, and the checks every
// dxoc image must pass (pinned bases, a non-root user, a health check).
import { imagePinProblem } from './images';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { globalArgs: Record<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw) && pending === '') continue;
    if (/^\s*#/.test(raw)) continue; // a comment inside a continued instruction
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full !== '') logical.push(full);
  }
  if (pending.trim() !== '') logical.push(pending.trim());

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\w+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] as string).toUpperCase();
    const args = match[2] as string;
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`cannot read FROM ${args}`);
      const image = (from[1] as string).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name: string) => globalArgs[name] ?? m);
      stages.push({ from: image, name: from[2] ?? null, instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const arg = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(args);
        if (arg) globalArgs[arg[1] as string] = (arg[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
      }
    } else {
      (stages[stages.length - 1] as Stage).instructions.push({ keyword, args });
    }
  }
  return { globalArgs, stages };
}

/** Pinned base images, and a final stage that runs as non-root with a health check. */
export function checkDockerfile(text: string): string[] {
  const problems: string[] = [];
  const { stages } = parseDockerfile(text);
  if (stages.length === 0) return ['no FROM'];
  const stageNames = new Set<string>();
  for (const stage of stages) {
    if (!stageNames.has(stage.from)) {
      const pin = imagePinProblem(stage.from);
      if (pin) problems.push(`FROM ${pin}`);
    }
    if (stage.name) stageNames.add(stage.name);
  }
  const final = stages[stages.length - 1] as Stage;
  const users = final.instructions.filter((i) => i.keyword === 'USER');
  const user = users[users.length - 1]?.args.split(':')[0]?.trim();
  if (!user) problems.push('the final stage has no USER: it would run as root');
  else if (user === 'root' || user === '0') problems.push(`the final stage runs as ${user}`);
  else if (!/^\d+$/.test(user)) problems.push(`USER ${user}: use the numeric uid so Kubernetes can verify runAsNonRoot`);
  const health = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
  if (health.length === 0 || /^NONE$/i.test(health[health.length - 1]?.args ?? '')) problems.push('the final stage has no HEALTHCHECK');
  return problems;
}

/** Instructions of the final stage with a keyword. */
export function finalStage(text: string): Stage {
  const { stages } = parseDockerfile(text);
  const final = stages[stages.length - 1];
  if (!final) throw new Error('no FROM');
  return final;
}

/** The ports a stage EXPOSEs. */
export const exposedPorts = (stage: Stage): number[] =>
  stage.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));

/** ENV of a stage (KEY=value pairs, also over continued lines). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const match of instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      env[match[1] as string] = (match[2] as string).replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

/** The JSON-array form of an instruction (ENTRYPOINT, CMD, HEALTHCHECK … CMD) as a list, or null. */
export function execForm(args: string): string[] | null {
  const json = /(\[.*\])\s*$/.exec(args)?.[1];
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? (parsed as string[]) : null;
  } catch {
    return null;
  }
}
