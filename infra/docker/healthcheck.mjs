// Container health check for the backend image: GET /api/v1/health on this container's PORT.
// Exits 0 on 200, 1 otherwise (503 while the database is unreachable, no answer, or no answer within 4 s).
// Node built-ins only: the slim image has no curl or wget.
//   node infra/docker/healthcheck.mjs [url]
const port = process.env.PORT || '3000';
const url = process.argv[2] ?? `http://127.0.0.1:${port}/api/v1/health`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (response.status === 200) process.exit(0);
  console.error(`unhealthy: ${url} answered ${response.status}`);
} catch (error) {
  console.error(`unhealthy: ${url}: ${error instanceof Error ? error.message : String(error)}`);
}
process.exit(1);
