// infra/standby/standby-drill.sh is run by hand (it starts two PostgreSQL clusters, dxoc and a proxy, and crashes the
// primary; its recorded result is in infra/README.md). These checks keep it runnable: a bash script with strict
// mode, usage text, arguments refused before anything starts, shellcheck-clean.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { infraDir } from '../src/files';

const drill = path.join(infraDir, 'standby', 'standby-drill.sh');
const run = (args: string[]) => spawnSync('bash', [drill, ...args], { encoding: 'utf8' });

describe('standby-drill.sh', () => {
  it('is executable bash with set -euo pipefail', () => {
    const text = readFileSync(drill, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(statSync(drill).mode & 0o111).not.toBe(0);
  });

  it('prints its usage on --help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: standby-drill\.sh/);
    expect(result.stdout).toContain('synchronous_standby_names');
  });

  it('refuses unknown arguments, bad numbers and versions, and a malformed primary URL before starting anything', () => {
    for (const args of [
      ['--bogus'],
      ['--primary-port', 'x'],
      ['--timescaledb-version', "2.23.1'; --"],
      ['--before'],
      ['--primary-url', 'mysql://x'],
    ]) {
      const result = run(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).not.toContain('work folder');
    }
  });

  const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!shellcheck)('is shellcheck-clean (skipped where shellcheck is not installed)', () => {
    const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', drill], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
