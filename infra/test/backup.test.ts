// infra/backup/backup.sh and restore.sh, run against stand-ins for psql, pg_dump and pg_restore that record
// what they are asked to do: the order of the TimescaleDB restore procedure is checked without a database.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { infraDir } from '../src/files';

const scripts = { backup: path.join(infraDir, 'backup', 'backup.sh'), restore: path.join(infraDir, 'backup', 'restore.sh') };

// Each stand-in appends one line per call: its name, then its arguments separated by " | ".
const STUB = `#!/usr/bin/env bash
set -euo pipefail
name=$(basename "$0")
printf '%s' "$name" >>"$STUB_LOG"
for arg in "$@"; do printf ' | %s' "$arg" >>"$STUB_LOG"; done
printf '\\n' >>"$STUB_LOG"
case "$name" in
  psql)
    sql=""
    while [[ $# -gt 0 ]]; do if [[ "$1" == "-c" ]]; then sql=$2; fi; shift; done
    case "$sql" in
      *"FROM pg_extension"*) printf '%s\\n' "\${STUB_TIMESCALEDB-2.23.1}" ;;
      *server_version_num*) echo 170006 ;;
      *"FROM pg_database"*) if [[ -n "\${STUB_DB_EXISTS:-}" ]]; then echo 1; fi ;;
      *hypertables*) echo 2 ;;
    esac
    ;;
  pg_dump)
    file=""
    for arg in "$@"; do case "$arg" in --file=*) file=\${arg#--file=} ;; esac; done
    if [[ -n "$file" ]]; then echo PGDMP-stub >"$file"; else echo PGDMP-stub; fi
    ;;
  pg_restore)
    for arg in "$@"; do if [[ "$arg" == "--list" ]]; then exit 0; fi; done
    exit "\${STUB_RESTORE_STATUS:-0}"
    ;;
esac
`;

let work: string;
let log: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dxoc-backup-test-'));
  log = path.join(work, 'calls.log');
  writeFileSync(log, '');
  for (const tool of ['psql', 'pg_dump', 'pg_restore']) {
    writeFileSync(path.join(work, tool), STUB);
    chmodSync(path.join(work, tool), 0o755);
  }
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('bash', [script, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: `${work}:${process.env.PATH ?? ''}`, STUB_LOG: log, HOME: work, ...env },
  });
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const URL = 'postgres://dxoc:secret@db.internal:5432/dxoc_restored?sslmode=disable';
const MAINTENANCE = 'postgres://dxoc:secret@db.internal:5432/postgres?sslmode=disable';
const sqlOf = (call: string) => call.split(' | ').at(-1) ?? '';

describe('backup.sh', () => {
  it('writes a pg_dump custom-format archive, checks it, and records the TimescaleDB version beside it', () => {
    const { status, calls, stderr } = run(scripts.backup, ['nightly.dump'], { DATABASE_URL: URL });
    expect(status, stderr).toBe(0);
    const dump = calls.find((c) => c.startsWith('pg_dump'));
    expect(dump).toBe(`pg_dump | --format=custom | --dbname=${URL} | --file=nightly.dump.partial`);
    expect(calls).toContain('pg_restore | --list | nightly.dump.partial');
    expect(readFileSync(path.join(work, 'nightly.dump'), 'utf8')).toBe('PGDMP-stub\n');
    expect(existsSync(path.join(work, 'nightly.dump.partial'))).toBe(false);
    const meta = readFileSync(path.join(work, 'nightly.dump.meta'), 'utf8');
    expect(meta).toContain('timescaledb_version=2.23.1');
    expect(meta).toContain('postgresql_version_num=170006');
  });

  it('streams to stdout with "-"', () => {
    const { status, stdout, stderr } = run(scripts.backup, ['-'], { DATABASE_URL: URL });
    expect(status).toBe(0);
    expect(stdout).toBe('PGDMP-stub\n');
    expect(stderr).toContain('timescaledb_version=2.23.1');
  });

  it('refuses a database without the timescaledb extension, and leaves no file', () => {
    const { status, stderr } = run(scripts.backup, ['x.dump'], { DATABASE_URL: URL, STUB_TIMESCALEDB: '' });
    expect(status).toBe(1);
    expect(stderr).toContain('no timescaledb extension');
    expect(existsSync(path.join(work, 'x.dump'))).toBe(false);
  });

  it('prints its usage on --help and refuses to run without DATABASE_URL', () => {
    expect(run(scripts.backup, ['--help']).stdout).toMatch(/^Usage: DATABASE_URL=/);
    const missing = run(scripts.backup, []);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('DATABASE_URL is not set');
    expect(missing.calls).toEqual([]);
  });
});

describe('restore.sh', () => {
  function withArchive(version = '2.23.1') {
    writeFileSync(path.join(work, 'nightly.dump'), 'PGDMP-stub\n');
    writeFileSync(path.join(work, 'nightly.dump.meta'), `timescaledb_version=${version}\npostgresql_version_num=170006\n`);
  }

  it('follows the TimescaleDB procedure: create, extension at the backup version, pre_restore, pg_restore, post_restore, ANALYZE', () => {
    withArchive();
    const { status, calls, stderr } = run(scripts.restore, ['nightly.dump'], { DATABASE_URL: URL });
    expect(status, stderr).toBe(0);
    const steps = calls.map((call) =>
      call.startsWith('pg_restore') ? call : `${call.split(' | ').find((a) => a.startsWith('--dbname='))} ${sqlOf(call)}`,
    );
    expect(steps).toEqual([
      `--dbname=${MAINTENANCE} SELECT 1 FROM pg_database WHERE datname = 'dxoc_restored'`,
      `--dbname=${MAINTENANCE} CREATE DATABASE "dxoc_restored"`,
      `--dbname=${URL} CREATE EXTENSION IF NOT EXISTS timescaledb VERSION '2.23.1'`,
      `--dbname=${URL} SELECT timescaledb_pre_restore()`,
      `pg_restore | --no-owner | --dbname=${URL} | nightly.dump`,
      `--dbname=${URL} SELECT timescaledb_post_restore()`,
      `--dbname=${URL} ANALYZE`,
      `--dbname=${URL} SELECT count(*) FROM timescaledb_information.hypertables`,
    ]);
  });

  it('leaves restoring mode even when pg_restore fails, and then exits non-zero', () => {
    withArchive();
    const { status, calls, stderr } = run(scripts.restore, ['nightly.dump'], { DATABASE_URL: URL, STUB_RESTORE_STATUS: '1' });
    expect(status).toBe(1);
    expect(stderr).toContain('pg_restore reported errors');
    const restoreAt = calls.findIndex((c) => c.startsWith('pg_restore'));
    const postAt = calls.findIndex((c) => sqlOf(c) === 'SELECT timescaledb_post_restore()');
    expect(restoreAt).toBeGreaterThan(0);
    expect(postAt).toBeGreaterThan(restoreAt);
    expect(calls.filter((c) => sqlOf(c) === 'SELECT timescaledb_post_restore()')).toHaveLength(1);
  });

  it('never overwrites an existing database unless told to', () => {
    withArchive();
    const refused = run(scripts.restore, ['nightly.dump'], { DATABASE_URL: URL, STUB_DB_EXISTS: '1' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--drop-existing');
    expect(refused.calls.some((c) => /CREATE|DROP|pre_restore/.test(sqlOf(c)))).toBe(false);
    expect(refused.calls.some((c) => c.startsWith('pg_restore'))).toBe(false);

    writeFileSync(log, '');
    const dropped = run(scripts.restore, ['--drop-existing', 'nightly.dump'], { DATABASE_URL: URL, STUB_DB_EXISTS: '1' });
    expect(dropped.status, dropped.stderr).toBe(0);
    expect(dropped.calls.map(sqlOf)).toContain('DROP DATABASE "dxoc_restored" WITH (FORCE)');
  });

  it('refuses database names and versions that would need quoting, before touching anything', () => {
    withArchive("2.23.1'; DROP DATABASE x; --");
    const badVersion = run(scripts.restore, ['nightly.dump'], { DATABASE_URL: URL });
    expect(badVersion.status).toBe(2);
    const badName = run(scripts.restore, ['nightly.dump'], { DATABASE_URL: 'postgres://u:p@h:5432/dx"oc' });
    expect(badName.status).toBe(2);
    expect([...badVersion.calls, ...badName.calls]).toEqual([]);
  });

  it('prints its usage on --help and refuses to run without DATABASE_URL or an archive', () => {
    expect(run(scripts.restore, ['--help']).stdout).toMatch(/^Usage: DATABASE_URL=/);
    expect(run(scripts.restore, ['nightly.dump']).status).toBe(2);
    expect(run(scripts.restore, [], { DATABASE_URL: URL }).status).toBe(2);
  });
});

describe('the backup scripts', () => {
  it('are executable bash with set -euo pipefail', () => {
    for (const script of Object.values(scripts)) {
      const text = readFileSync(script, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), script).toBe(true);
      expect(text, script).toMatch(/^set -euo pipefail$/m);
      expect(statSync(script).mode & 0o111, script).not.toBe(0);
    }
  });

  const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!shellcheck)('are shellcheck-clean (skipped where shellcheck is not installed)', () => {
    const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...Object.values(scripts)], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
