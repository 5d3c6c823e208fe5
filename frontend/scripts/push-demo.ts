// Development helper: pushes the browser tests' demo figures to a running backend.
//   npx tsx frontend/scripts/push-demo.ts http://127.0.0.1:3000 <agent key for all units>
import { demoBatches, pushBatches } from '../e2e/support/demo-data';

const [url = 'http://127.0.0.1:3000', key] = process.argv.slice(2);
if (!key) {
  console.error('usage: push-demo.ts <backend url> <agent key (npm run dxoc -- keys create --all-units)>');
  process.exit(2);
}
const batches = demoBatches(Date.now());
await pushBatches(url, key, batches);
console.log(`pushed ${batches.reduce((n, b) => n + b.points.length, 0)} points in ${batches.length} batches`);
