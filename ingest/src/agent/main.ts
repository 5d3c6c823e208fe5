/** Entry point of the dxoc-agent command (bin/dxoc-agent.mjs, `npm run agent -w @dxoc/ingest -- ...`). */
import { main } from './cli';

const controller = new AbortController();
let signals = 0;
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    signals += 1;
    // the first signal stops gracefully (the open batch is sealed into the queue); a second one does not wait
    if (signals > 1) process.exit(130);
    controller.abort();
  });
}

main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stderr: process.stderr,
  signal: controller.signal,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dxoc-agent: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
