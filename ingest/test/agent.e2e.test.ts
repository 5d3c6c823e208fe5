/**
 * dxoc-agent end to end against a real `dxoc serve` process: files (CSV and XLSX, with malformed rows), an HTTP
 * endpoint served by this test, a table in the machine's PostgreSQL; then check, status and backfill.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egdiSurveyFigures, seedMetrics } from '@dxoc/contracts/reference';
import { METRIC_SHAPES } from '../src/simulator/generators';
import { SURVEY_METRICS } from '../src/simulator/surveys';
import { POSTGRES_URL as POSTGRES, withPostgres } from './support/postgres';
import {
  createCredentials,
  eventually,
  readApi,
  runAgentCli,
  series,
  startAgentCommand,
  startAgentProcess,
  startBackend,
  type AgentProcess,
  type Backend,
} from './support/processes';

const table = `dxoc_agent_e2e_${process.pid}_${Date.now().toString(36)}`;

describe('dxoc-agent against a real backend', () => {
  let dir: string;
  let backend: Backend;
  let viewerToken: string;
  let agent: AgentProcess;
  let endpoint: http.Server;
  let configFile: string;
  const endpointItems: unknown[] = [
    { code: '79', ngay: '2026-11-20', so_ho_so: 1200 },
    { code: '01', ngay: '2026-11-20', so_ho_so: 2100 },
    { code: '', ngay: '2026-11-20', so_ho_so: 5 },
  ];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-agent-e2e-'));
    for (const folder of ['inbox', 'sheets']) mkdirSync(path.join(dir, folder));
    endpoint = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: endpointItems }));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    // the machine's PostgreSQL may be restarted by others at any time: no connection is held between uses, and
    // each use may run twice (withPostgres), so the statements are safe to repeat
    await withPostgres(async (db) => {
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${table} (ma_tinh text, ngay timestamp, so_hoa_don numeric, cap_nhat timestamptz, PRIMARY KEY (ma_tinh, ngay))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES ('01', '2026-11-19 00:00', 250000, '2026-11-20T01:00:00Z'), ('79', '2026-11-19 00:00', 410000.5, '2026-11-20T02:00:00.123456Z') ON CONFLICT DO NOTHING`,
      );
    });

    backend = await startBackend(path.join(dir, 'data'));
    const credentials = await createCredentials(backend.dataDir);
    viewerToken = credentials.viewerToken;
    writeFileSync(path.join(dir, 'agent.key'), `${credentials.key}\n`);
    configFile = path.join(dir, 'agent.yaml');
    writeFileSync(configFile, config(backend.url, (endpoint.address() as AddressInfo).port));
    agent = startAgentProcess(configFile);
    await agent.waitFor((e) => e.event === 'agent.start', 'the agent to start');
  });

  afterAll(async () => {
    await agent?.stop();
    await backend?.stop();
    await new Promise((resolve) => endpoint?.close(resolve));
    await withPostgres((db) => db.query(`DROP TABLE IF EXISTS ${table}`), { timeoutMs: 15_000 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV: good rows arrive, malformed rows go to failed/ with reasons, rows the API refuses go to dead-letter', async () => {
    const inbox = path.join(dir, 'inbox');
    writeFileSync(
      path.join(inbox, 'bao-cao-thang-10.csv'),
      [
        'ma_tinh;ngay;so_dich_vu',
        '01;01/10/2026;1.905',
        '79;01/10/2026;1.850',
        '04;01/10/2026;',
        '08;31/09/2026;1.200',
        '79;01/10/2026;1.851',
        '77;01/10/2026;1.500',
        '"48";01/10/2026;"1.700"',
      ].join('\r\n'),
    );
    await agent.waitFor((e) => e.event === 'file.imported' && e.file === 'bao-cao-thang-10.csv', 'the CSV to be imported');
    expect(existsSync(path.join(inbox, 'done', 'bao-cao-thang-10.csv'))).toBe(true);
    expect(readFileSync(path.join(inbox, 'failed', 'bao-cao-thang-10.rejected-rows.csv'), 'utf8')).toBe(
      'ma_tinh;ngay;so_dich_vu\n04;01/10/2026;\n08;31/09/2026;1.200\n79;01/10/2026;1.851\n',
    );
    expect(readFileSync(path.join(inbox, 'failed', 'bao-cao-thang-10.rejected-rows.reason.txt'), 'utf8')).toBe(
      [
        'bao-cao-thang-10.csv: 3 rows were not imported; the other 4 values were queued for the API.',
        'row 4: value (column "so_dich_vu") is empty',
        'row 5: ts (column "ngay") "31/09/2026" is not a real date and time',
        'row 6: repeats row 3: a second value for dvc.services_online, unit 79, 2026-10-01T00:00:00+07:00',
        '',
      ].join('\n'),
    );
    // "77" (Bà Rịa - Vũng Tàu) ceased on 1 Jul 2025: a well-formed row that only the API can refuse
    const refused = await agent.waitFor((e) => e.event === 'batch.dead_letter', 'the refused row to be dead-lettered');
    expect(refused.message).toContain('bao-cao-thang-10.csv row 7');
    expect(refused.message).toContain('"77"');
    expect(refused.resent).toBe(3);
    const deadLetters = readdirSync(path.join(dir, 'state', 'dead-letter'));
    expect(deadLetters).toHaveLength(1);
    expect(
      JSON.parse(readFileSync(path.join(dir, 'state', 'dead-letter', deadLetters[0] as string), 'utf8')).refusedPoints[0].problems[0],
    ).toContain('ceased on 2025-07-01');

    const values = await eventually(async () => {
      const got = await Promise.all(['01', '79', '48'].map((unit) => series(backend.url, viewerToken, 'dvc.services_online', unit)));
      return got.every((points) => points.length === 1) ? got.map((points) => points[0]?.value) : undefined;
    }, 'the CSV values in the API');
    expect(values).toEqual([1905, 1850, 1700]);
  });

  it('imports an XLSX with date cells and province codes Excel turned into numbers; refuses a file without the mapped columns', async () => {
    const sheets = path.join(dir, 'sheets');
    const header = ['unit', 'date', 'share'].map((value) => ({ value }));
    const day = new Date(Date.UTC(2026, 9, 1)); // a date cell: 1 Oct 2026, read in +07:00
    await writeXlsxFile(
      [
        header,
        [{ value: 1 }, { value: day, format: 'dd/mm/yyyy' }, { value: 27.5 }],
        [{ value: 79 }, { value: day, format: 'dd/mm/yyyy' }, { value: 31.2 }],
        [{ value: '11' }, { value: 'hôm qua' }, { value: 12 }],
        [{ value: 48 }, { value: day, format: 'dd/mm/yyyy' }, { value: 'abc' }],
      ],
      {},
    ).toFile(path.join(sheets, 'level4.xlsx'));
    writeFileSync(path.join(sheets, 'wrong-columns.csv'), 'province,when,value\n01,2026-10-01,3\n');
    await agent.waitFor((e) => e.event === 'file.imported' && e.file === 'level4.xlsx', 'the XLSX to be imported');
    const reason = readFileSync(path.join(sheets, 'failed', 'level4.rejected-rows.reason.txt'), 'utf8');
    expect(reason).toContain('row 4: ts (column "date") "hôm qua" is not a date and time');
    expect(reason).toContain('row 5: value (column "share") "abc" is not a number');
    await agent.waitFor((e) => e.event === 'file.failed' && e.file === 'wrong-columns.csv', 'the wrong file to be refused');
    expect(readFileSync(path.join(sheets, 'failed', 'wrong-columns.csv.reason.txt'), 'utf8')).toBe(
      'wrong-columns.csv: nothing was imported: the header (row 1) has no column "unit", "date", "share"; it has "province", "when", "value"\n',
    );
    const hanoi = await eventually(
      async () => (await series(backend.url, viewerToken, 'dvc.level4_share', '01'))[0],
      'the XLSX value of Hà Nội',
    );
    expect(hanoi).toEqual({ ts: '2026-09-30T17:00:00.000Z', value: 27.5 });
  });

  it('polls an HTTP endpoint and reads a PostgreSQL table incrementally', async () => {
    const hcm = await eventually(
      async () => (await series(backend.url, viewerToken, 'onestop.applications_received', '79'))[0],
      'the HTTP value',
    );
    expect(hcm).toEqual({ ts: '2026-11-19T17:00:00.000Z', value: 1200 });
    expect(agent.events.some((e) => e.event === 'http.items_skipped' && String(e.message).includes('item 2: unit ($.code) is empty'))).toBe(
      true,
    );

    const invoices = await eventually(async () => {
      const [hanoi, hcmc] = await Promise.all(['01', '79'].map((unit) => series(backend.url, viewerToken, 'einvoice.issued', unit)));
      return hanoi?.length === 1 && hcmc?.length === 1 ? [hanoi[0], hcmc[0]] : undefined;
    }, 'the SQL values');
    expect(invoices).toEqual([
      { ts: '2026-11-18T17:00:00.000Z', value: 250000 },
      { ts: '2026-11-18T17:00:00.000Z', value: 410000.5 },
    ]);
    await withPostgres((db) =>
      db.query(`INSERT INTO ${table} VALUES ('01', '2026-11-20 00:00', 260000, '2026-11-21T01:00:00.654321Z') ON CONFLICT DO NOTHING`),
    );
    await eventually(
      async () => ((await series(backend.url, viewerToken, 'einvoice.issued', '01')).length === 2 ? true : undefined),
      'the new SQL row',
    );
    // the cursor moved past the rows already queued: they were read once, though their update times have
    // microseconds (a millisecond cursor re-read the newest row on every poll)
    const sqlValues = agent.events.filter((e) => e.event === 'sql.polled').reduce((sum, e) => sum + Number(e.points), 0);
    expect(sqlValues).toBe(3);
  });

  it('check says the installation is ready, and that a wrong key is refused', async () => {
    const ok = await runAgentCli(['check', '--config', configFile]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`ok    api key: the API at ${backend.url} accepts the key`);
    expect(ok.stdout).toMatch(/ok {4}source one-stop-shop \(http\): 3 items read, 2 values mapped; 1 would be skipped/);
    expect(ok.stdout).toMatch(/ok {4}source invoices-db \(sql\): 0 rows read/);
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('ready');

    const wrongKey = path.join(dir, 'wrong.yaml');
    writeFileSync(
      wrongKey,
      readFileSync(configFile, 'utf8')
        .replace('keyFile: agent.key', 'key: dxoc_0000000000000000_not-a-key')
        .replace(/sources:[\s\S]*/, 'sources: []\n'),
    );
    const refused = await runAgentCli(['check', '--config', wrongKey]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/FAIL {2}api key: the API at .* refuses the key/);
  });

  it('status shows the queue, the last success and the last error', async () => {
    const result = await runAgentCli(['status', '--config', configFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/agent "e2e": running \(pid \d+\)/);
    expect(result.stdout).toMatch(/queue: \d+ batch(es)?, \d+ points? waiting|queue: 0 batches, 0 points waiting/);
    expect(result.stdout).toMatch(/last success: .*batch e2e\./);
    expect(result.stdout).toMatch(/last error: .*400 invalid_batch/);
    expect(result.stdout).toContain('dead-letter: 1 file');
    const json = JSON.parse((await runAgentCli(['status', '--config', configFile, '--json'])).stdout);
    expect(json).toMatchObject({ agent: 'e2e', running: true, deadLetter: 1 });
  });

  it('backfills a historical file with a summary, and a second run finds everything already there', async () => {
    const file = path.join(dir, 'history.csv');
    const rows = ['ma_tinh;ngay;so_dich_vu'];
    const start = Date.UTC(2019, 0, 1);
    for (let i = 0; i < 2100; i += 1) {
      const d = new Date(start + i * 86_400_000);
      rows.push(
        `92;${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()};${1000 + i}`,
      );
    }
    rows.push('92;01/01/2030;5', '92;x;1');
    writeFileSync(file, rows.join('\n'));
    const first = await runAgentCli(['backfill', file, '--config', configFile, '--source', 'monthly-reports']);
    expect(first.code, first.stderr).toBe(3); // done, with rejected rows
    expect(first.stdout).toContain('history.csv: 2102 rows read, 2100 values to send');
    expect(first.stdout).toContain('  accepted:   2100');
    expect(first.stdout).toContain('  duplicates: 0');
    expect(first.stdout).toContain('  rejected:   2 (2 rows the agent could not read, 0 values the API refused)');
    expect(first.stdout).toContain('    row 2102: ts (column "ngay") 2030-01-01T00:00:00+07:00 is in the future');
    expect(first.stdout).toContain('    row 2103: ts (column "ngay") "x" does not match the format "dd/MM/yyyy"');
    expect(first.stderr).toContain('backfill 100%  2100/2100 values');
    const stored = await series(backend.url, viewerToken, 'dvc.services_online', '92');
    expect(stored).toHaveLength(2100);
    expect(stored.reduce((sum, p) => sum + p.value, 0)).toBe(2100 * 1000 + (2099 * 2100) / 2);

    const again = await runAgentCli(['backfill', file, '--config', configFile, '--source', 'monthly-reports']);
    expect(again.stdout).toContain('  accepted:   0');
    expect(again.stdout).toContain('  duplicates: 2100 (already stored by an earlier run: nothing written twice)');
  });

  // last: it writes values for every unit
  it(
    'simulate plays every unit of the catalog through the API, and the values it spoils on purpose are refused',
    { timeout: 240_000 },
    async () => {
      const simulator = startAgentCommand([
        'simulate',
        '--api',
        backend.url,
        '--key-file',
        path.join(dir, 'agent.key'),
        '--viewer-token',
        viewerToken,
        '--state-dir',
        path.join(dir, 'simulator'),
        // 4: the latest reporter, the Ministry of Construction (4 days late), still has a day of history
        '--history-days',
        '4',
        '--step-seconds',
        '1',
        '--bad-values-per-hour',
        '3600',
        '--json',
      ]);
      try {
        const t0 = Date.now();
        const bench = (what: string) => console.log(`[bench] simulate: ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const started = await simulator.waitFor((e) => e.event === 'sim.start', 'the simulator to start');
        expect(started.units).toBe(52); // the nation, 34 provinces, 17 ministries in force
        // the UN survey's figures as published, once at start, with the history
        expect(started.surveyValues).toBe(egdiSurveyFigures.length);
        // the history holds a value of every metric for every unit: once the API has answered for all of it, what
        // is checked below must be there, read once (polling /latest while it arrives only competed with it)
        const delivered = await simulator.waitFor((e) => e.event === 'sim.history_delivered', 'the history to be delivered', 180_000);
        expect(delivered.historyValues).toBe(started.historyValues);
        bench(`${String(delivered.historyValues)} values of history delivered`);
        await simulator.waitFor((e) => e.event === 'sim.refused_as_intended', 'a spoiled value to be refused', 120_000);
        bench('a spoiled value refused');
        // stopped before reading: its live values (every second here) each make the backend refresh today's
        // aggregates, and every read below waited behind them (2.5 s a /latest on a loaded machine); what it sent
        // stays, and its dead letters no longer change while they are read
        expect(await simulator.stop()).toBe(0);
        bench('stopped');
        const catalogUnits = await readApi<{ units: { code: string; kind: string }[] }>(backend.url, '/api/v1/catalog/units', viewerToken);
        const kindOf = new Map(catalogUnits.units.map((u) => [u.code, u.kind]));
        // one /latest per metric, of every unit in force; the unit kinds come from the catalog
        const played = seedMetrics.filter((m) => METRIC_SHAPES[m.code]);
        const latest = new Map<string, { unit: string; value: number }[]>();
        for (const m of played) {
          const body = await readApi<{ values: { unit: string; value: number }[] }>(
            backend.url,
            `/api/v1/latest?metric=${m.code}`,
            viewerToken,
          );
          latest.set(m.code, body.values);
        }
        bench(`the latest values of ${played.length} metrics read`);
        const ofKind = (metric: string, kind: string) => (latest.get(metric) ?? []).filter((v) => kindOf.get(v.unit) === kind);
        // 34 provinces: Sơn La, three days late, has days from before that
        const invoices = ofKind('einvoice.issued', 'province');
        expect(invoices).toHaveLength(34);
        expect(invoices.every((v) => v.value >= 0)).toBe(true);
        const services = ofKind('dvc.services_online', 'nation');
        expect(services).toHaveLength(1);
        expect(services[0]?.value).toBeGreaterThan(4400);
        // every metric it plays reaches the API for every unit kind the catalog allows it (issue 15: each national
        // system the notices name, the monthly and quarterly levels dated their period's first day)
        const missing = played.flatMap((m) =>
          m.unitKinds.filter((kind) => ofKind(m.code, kind).length === 0).map((kind) => `${m.code} (${kind})`),
        );
        expect(missing).toEqual([]);
        // the survey's metrics hold the figures of the latest survey as published (the API took them: no dead letter
        // below holds one), nothing generated
        for (const metric of SURVEY_METRICS) {
          const body = await readApi<{ values: { unit: string; ts: string; value: number }[] }>(
            backend.url,
            `/api/v1/latest?metric=${metric}&unitKind=nation`,
            viewerToken,
          );
          const published = egdiSurveyFigures.filter((f) => f.metricCode === metric).at(-1)!;
          expect(
            body.values.map((v) => ({ unit: v.unit, ts: Date.parse(v.ts), value: v.value })),
            metric,
          ).toEqual([{ unit: 'VN', ts: Date.parse(published.ts), value: published.value }]);
        }
        // and the API refused only the values spoiled on purpose: a share above 100%, a negative count, a lost zero
        const deadLetter = path.join(dir, 'simulator', 'dead-letter');
        const known = new Set(kindOf.keys());
        for (const file of readdirSync(deadLetter)) {
          const record = JSON.parse(readFileSync(path.join(deadLetter, file), 'utf8')) as {
            refusedPoints: { point: { metric: string; unit: string; value: number } }[];
          };
          for (const { point } of record.refusedPoints) {
            const spoiled = (point.metric.endsWith('_share') && point.value > 100) || point.value < 0 || !known.has(point.unit);
            expect(spoiled, `${file}: ${JSON.stringify(point)}`).toBe(true);
          }
        }
        bench('the dead letters checked');
      } finally {
        await simulator.stop();
      }
    },
  );
});

function config(apiUrl: string, endpointPort: number): string {
  return `api:
  url: ${apiUrl}
  keyFile: agent.key
agent:
  name: e2e
  stateDir: state
delivery:
  flushIntervalSeconds: 0.3
  flushJitterSeconds: 0.1
  retryInitialSeconds: 0.2
  retryMaxSeconds: 1
sources:
  - name: monthly-reports
    kind: files
    dir: inbox
    pollSeconds: 0.2
    csv: { delimiter: ";" }
    mapping:
      metric: dvc.services_online
      unit: { column: ma_tinh }
      ts: { column: ngay, format: dd/MM/yyyy }
      value: { column: so_dich_vu, decimal: "," }
  - name: sheets
    kind: files
    dir: sheets
    pollSeconds: 0.2
    mapping:
      metric: dvc.level4_share
      unit: { column: unit }
      ts: { column: date }
      value: { column: share }
  - name: one-stop-shop
    kind: http
    url: http://127.0.0.1:${endpointPort}/thong-ke
    intervalSeconds: 0.5
    items: $.data[*]
    mapping:
      metric: onestop.applications_received
      unit: { path: $.code }
      ts: { path: $.ngay }
      value: { path: $.so_ho_so }
  - name: invoices-db
    kind: sql
    connection: ${POSTGRES}
    intervalSeconds: 0.5
    query: SELECT ma_tinh, ngay, so_hoa_don, cap_nhat FROM ${table} WHERE cap_nhat > $1 ORDER BY cap_nhat
    cursor: { column: cap_nhat, initial: "2000-01-01T00:00:00Z" }
    mapping:
      metric: einvoice.issued
      unit: { column: ma_tinh }
      ts: { column: ngay }
      value: { column: so_hoa_don }
`;
}
