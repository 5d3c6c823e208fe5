/**
 * `npm run load` without running it: its options, the config it hands the scripts, how it reads k6's thresholds,
 * and the k6 install (pinned version, built with Go when missing) with a stand-in `go`, so that the path that
 * builds k6 keeps working although the default tests never take it.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedUnits } from '@dxoc/contracts/reference';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LOAD_TESTS, runModule } from './support/harness';

describe('options', () => {
  it('fill in each scenario’s defaults and turn options into k6 -e knobs', async () => {
    const { parseOptions } = await runModule();
    expect(parseOptions(['--scenario', 'smoke'])).toEqual({
      scenario: 'smoke',
      durationS: 20,
      env: { DURATION_S: '20', TAIL_S: '5' },
      keys: 2,
      report: null,
      keep: false,
    });
    expect(
      parseOptions([
        '-s',
        'mixed',
        '--duration',
        '2m',
        '--rate',
        '20000',
        '--viewers',
        '500',
        '-e',
        'LIVE_METRIC=dvc.services_online',
        '--keys',
        '0',
        '--keep',
      ]),
    ).toEqual({
      scenario: 'mixed',
      durationS: 120,
      env: { LIVE_METRIC: 'dvc.services_online', DURATION_S: '120', INGEST_RATE: '20000', VIEWERS: '500' },
      keys: 0,
      report: null,
      keep: true,
    });
  });

  it.each([
    [['--scenario', 'soak'], '--scenario must be one of ingest, viewers, mixed, spike, smoke, got "soak"'],
    [['--scenario', 'ingest', '--duration', '3s'], '--duration must be at least 5 s'],
    [['--scenario', 'ingest', '--duration', 'soon'], '--duration must look like 90, 90s or 2m'],
    [['--scenario', 'ingest', '--batch', '6000'], '--batch must be 1–5000'],
    [['--scenario', 'ingest', '--rate=-1'], '--rate must be a non-negative number'],
    [['--scenario', 'ingest', '-e', 'NOVALUE'], '--env takes NAME=value'],
  ])('refuse %j', async (argv, message) => {
    const { parseOptions, UsageError } = await runModule();
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});

describe('the config for the scripts', () => {
  it('gives every unit in force to exactly one agent key, each key a mix of provinces and ministries', async () => {
    const { splitUnits, k6Config } = await runModule();
    const { current, unitGroups } = splitUnits(seedUnits, 4, '2026-11-22');
    expect(current).toHaveLength(52);
    expect(current).not.toContain('74'); // Bình Dương, merged into 79 on 1 Jul 2025
    expect(unitGroups).toHaveLength(4);
    expect(unitGroups.flat().sort()).toEqual(current);
    const kinds = new Map(seedUnits.map((u) => [u.code, u.kind]));
    for (const group of unitGroups)
      expect(new Set(group.map((c) => kinds.get(c)))).toEqual(
        new Set(['nation', 'province', 'ministry'].filter((k) => group.some((c) => kinds.get(c) === k))),
      );
    const config = k6Config({
      baseUrl: 'http://x',
      viewerToken: 'dxv_v',
      probeKey: 'dxoc_p',
      agentKeys: ['a', 'b', 'c', 'd'],
      unitGroups,
      current,
      units: seedUnits,
      metrics: [],
      createdAt: 1,
    });
    expect(config.agents.map((a) => a.key)).toEqual(['a', 'b', 'c', 'd']);
    expect(config.units[0]).toEqual({
      code: seedUnits[0]?.code,
      kind: seedUnits[0]?.kind,
      validFrom: seedUnits[0]?.validFrom,
      validUntil: seedUnits[0]?.validUntil,
    });
  });

  it('before the provinces merged, the 63 provinces were in force', async () => {
    const { splitUnits } = await runModule();
    expect(
      splitUnits(seedUnits, 2, '2025-06-30').current.filter((c) => seedUnits.find((u) => u.code === c)?.kind === 'province'),
    ).toHaveLength(63);
  });

  it('--keys 0: the probe’s --all-units key sends for every unit', async () => {
    const { splitUnits, k6Config } = await runModule();
    const { current, unitGroups } = splitUnits(seedUnits, 0, '2026-11-22');
    expect(unitGroups).toEqual([]);
    const config = k6Config({
      baseUrl: 'http://x',
      viewerToken: 'dxv_v',
      probeKey: 'dxoc_p',
      agentKeys: [],
      unitGroups,
      current,
      units: seedUnits,
      metrics: [],
    });
    expect(config.agents).toEqual([{ key: 'dxoc_p', units: current }]);
  });
});

it("reads k6's --summary-export thresholds (true there means the threshold failed)", async () => {
  const { thresholdResults } = await runModule();
  expect(
    thresholdResults({
      ingest_errors: { thresholds: { 'rate<0.01': false } },
      'http_req_duration{name:ingest}': { thresholds: { 'p(95)<=250': true, 'max>=0': false } },
      live_messages: {},
    }),
  ).toEqual([
    { metric: 'ingest_errors', threshold: 'rate<0.01', ok: true },
    { metric: 'http_req_duration{name:ingest}', threshold: 'p(95)<=250', ok: false },
    { metric: 'http_req_duration{name:ingest}', threshold: 'max>=0', ok: true },
  ]);
});

describe('installing k6 (install-k6.mjs), with a stand-in go', () => {
  interface InstallModule {
    K6_VERSION: string;
    K6_DIR: string;
    ensureK6(options?: { quiet?: boolean; dir?: string }): Promise<string>;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dxoc-k6-install-'));
  const saved = { GO: process.env.GO, K6_BIN: process.env.K6_BIN };
  const install = () => import(path.join(LOAD_TESTS, 'install-k6.mjs')) as Promise<InstallModule>;

  /** A `go` that logs its arguments and, for `install`, writes into GOBIN a k6 that reports `version`. */
  function fakeGo(version: string, { fail = false } = {}): string {
    const go = path.join(tmp, `go-${version}${fail ? '-failing' : ''}`);
    const k6 = `#!/bin/sh\n[ "$1" = version ] && echo "k6 ${version} (commit/devel, go1.26.8, linux/amd64)"\n`;
    writeFileSync(
      go,
      `#!/bin/sh
echo "$@" >> "${tmp}/go.log"
[ "$1" = version ] && { echo "go version go1.26.8 linux/amd64"; exit 0; }
${fail ? 'echo "go: module lookup disabled" >&2; exit 1' : `printf '%s' '${k6}' > "$GOBIN/k6" && chmod +x "$GOBIN/k6" && echo go.k6.io/k6`}
`,
    );
    chmodSync(go, 0o755);
    return go;
  }

  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('pins one exact version and keeps it in a git-ignored directory of its own', async () => {
    const { K6_VERSION, K6_DIR } = await install();
    expect(K6_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(path.relative(LOAD_TESTS, K6_DIR)).toBe(path.join('.bin', `k6-${K6_VERSION}`));
    expect(readFileSync(path.join(LOAD_TESTS, '.gitignore'), 'utf8')).toMatch(/^\.bin\/$/m);
  });

  it('builds the pinned version with go install when missing, then reuses it without building again', async () => {
    const { ensureK6, K6_VERSION } = await install();
    delete process.env.K6_BIN;
    process.env.GO = fakeGo(K6_VERSION);
    const dir = path.join(tmp, 'fresh', `k6-${K6_VERSION}`);
    const bin = await ensureK6({ quiet: true, dir });
    expect(bin).toBe(path.join(dir, 'k6'));
    expect(existsSync(`${dir}.partial`)).toBe(false);
    const log = readFileSync(path.join(tmp, 'go.log'), 'utf8');
    expect(log).toContain(`install -v -trimpath -ldflags=-s -w go.k6.io/k6@${K6_VERSION}`);
    const builds = log.split('\n').filter((l) => l.startsWith('install')).length;
    expect(await ensureK6({ quiet: true, dir })).toBe(bin);
    expect(
      readFileSync(path.join(tmp, 'go.log'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('install')),
    ).toHaveLength(builds);
  });

  it('refuses a build that reports another version, and leaves nothing half-built when go fails', async () => {
    const { ensureK6, K6_VERSION } = await install();
    delete process.env.K6_BIN;
    process.env.GO = fakeGo('v0.0.1');
    const dir = path.join(tmp, 'wrong', `k6-${K6_VERSION}`);
    await expect(ensureK6({ quiet: true, dir })).rejects.toThrow(`the built k6 reports v0.0.1, expected ${K6_VERSION}`);

    process.env.GO = fakeGo(K6_VERSION, { fail: true });
    const failing = path.join(tmp, 'failing', `k6-${K6_VERSION}`);
    mkdirSync(path.dirname(failing), { recursive: true });
    await expect(ensureK6({ quiet: true, dir: failing })).rejects.toThrow(
      /go install go\.k6\.io\/k6@v[\d.]+ failed \(exit 1\):\n[\s\S]*module lookup disabled/,
    );
    expect(existsSync(failing)).toBe(false);
    expect(existsSync(`${failing}.partial`)).toBe(false);
  });

  it('K6_BIN: uses that binary when it reports the pinned version, refuses it otherwise', async () => {
    const { ensureK6, K6_VERSION } = await install();
    const good = path.join(tmp, 'k6-good');
    writeFileSync(good, `#!/bin/sh\necho "k6 ${K6_VERSION} (commit/devel, go1.26.8, linux/amd64)"\n`);
    chmodSync(good, 0o755);
    process.env.K6_BIN = good;
    expect(await ensureK6({ quiet: true, dir: path.join(tmp, 'unused') })).toBe(good);
    const old = path.join(tmp, 'k6-old');
    writeFileSync(old, '#!/bin/sh\necho "k6 v0.49.0 (2024-01-01T00:00:00+0000/abc, go1.21.5, linux/amd64)"\n');
    chmodSync(old, 0o755);
    process.env.K6_BIN = old;
    await expect(ensureK6({ quiet: true })).rejects.toThrow(`reports v0.49.0, expected ${K6_VERSION}`);
  });
});
