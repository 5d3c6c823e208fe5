/** Entry point of the dxoc-dashboards command (bin/dxoc-dashboards.mjs and `npm run validate`). */
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`dxoc-dashboards: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
