// infra/k8s/*.yaml, checked without a cluster.
import { describe, expect, it } from 'vitest';
import { backendDefaultPort, backendEnvKeys, parseYaml, read, readKubernetesDir, type KubeObject } from '../src/files';
import { checkKubernetes, resolvePort, workloads, type Container, type Workload } from '../src/kubernetes';
import { exposedPorts, finalStage } from '../src/dockerfile';
import { imageName, imageTag } from '../src/images';

const files = readKubernetesDir();
const objects = files.flatMap((file) => file.objects);
const applied = files.filter((file) => file.file !== 'secret.example.yaml').flatMap((file) => file.objects);
const all = workloads(objects);
const port = backendDefaultPort();

const one = <T>(list: T[], what: string): T => {
  if (list.length !== 1) throw new Error(`expected one ${what}, found ${list.length}`);
  return list[0] as T;
};
const kind = (k: string) => objects.filter((object) => object.kind === k);
const runs = (workload: Workload, command: string) =>
  workload.pod.containers.some((c) => [...(c.command ?? []), ...(c.args ?? [])].includes(command));

const backend = one(
  all.filter((w) => w.object.kind === 'Deployment' && runs(w, 'serve')),
  'backend Deployment (args: serve)',
);
const frontend = one(
  all.filter((w) => w.object.kind === 'Deployment' && w.pod.containers.some((c) => imageName(c.image).endsWith('frontend'))),
  'frontend Deployment',
);
const migrateJob = one(
  all.filter((w) => w.object.kind === 'Job' && runs(w, 'migrate')),
  'migration Job (args: migrate)',
);
const backendContainer = backend.pod.containers[0] as Container;
const configMap = one(kind('ConfigMap'), 'ConfigMap');
const configData = (configMap.data ?? {}) as Record<string, string>;
const backendServices = kind('Service').filter((s) =>
  Object.entries((s.spec as { selector: Record<string, string> }).selector).every(([k, v]) => backend.labels[k] === v),
);
const backendService = one(backendServices, 'Service for the backend');

describe('Kubernetes manifests', () => {
  it('parse, and reference each other consistently (probes, pod security, resources, pinned images, selectors, ports)', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(checkKubernetes(objects, { namespace: 'dxoc' })).toEqual([]);
  });

  it('contain what the deployment needs', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Job', 'Service', 'Ingress', 'PodDisruptionBudget'])
      expect(kinds, k).toContain(k);
  });

  it('mark the Secrets as examples, and keep them out of kustomization.yaml', () => {
    for (const secret of kind('Secret')) {
      expect(secret.metadata.annotations?.['dxoc.example/example-only'], secret.metadata.name).toBe('true');
      for (const value of Object.values((secret.stringData ?? {}) as Record<string, string>)) expect(value).toContain('EXAMPLE_ONLY');
    }
    expect(files.find((f) => f.file === 'secret.example.yaml')?.objects.every((o) => o.kind === 'Secret')).toBe(true);
  });

  it('list every other manifest in kustomization.yaml', () => {
    const kustomization = parseYaml(read('infra/k8s/kustomization.yaml'), 'kustomization.yaml') as {
      namespace: string;
      resources: string[];
    };
    expect(kustomization.namespace).toBe('dxoc');
    expect([...kustomization.resources].sort()).toEqual(
      files
        .map((f) => f.file)
        .filter((f) => f !== 'secret.example.yaml')
        .sort(),
    );
  });

  it('run two backend replicas with probes on /api/v1/health at the backend port', () => {
    expect(backend.replicas).toBe(2);
    for (const probe of [backendContainer.readinessProbe, backendContainer.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/api/v1/health');
      expect(resolvePort([backendContainer], probe?.httpGet?.port)).toBe(port);
    }
  });

  it('agree on the backend port: EnvSchema default, ConfigMap, image, containerPort, Service, frontend proxy', () => {
    expect(configData.PORT ?? String(port)).toBe(String(port));
    expect(exposedPorts(finalStage(read('infra/docker/backend.Dockerfile')))).toContain(port);
    expect(resolvePort(backend.pod.containers, 'http')).toBe(port);
    const servicePort = (backendService.spec as { ports: Array<{ port: number; targetPort: string | number }> }).ports[0];
    expect(resolvePort(backend.pod.containers, servicePort?.targetPort)).toBe(port);
    const address = frontend.pod.containers[0]?.env?.find((e) => e.name === 'DXOC_BACKEND_ADDRESS')?.value ?? '';
    expect(address).toBe(`${backendService.metadata.name}.dxoc.svc.cluster.local:${servicePort?.port}`);
  });

  it('expose the metrics port the ConfigMap configures', () => {
    if (configData.DXOC_METRICS_PORT && configData.DXOC_METRICS_PORT !== 'off') {
      expect(resolvePort(backend.pod.containers, 'metrics')).toBe(Number(configData.DXOC_METRICS_PORT));
    }
  });

  it('serve the frontend on the port its image listens on', () => {
    const listen = exposedPorts(finalStage(read('infra/docker/frontend.Dockerfile')))[0];
    expect(resolvePort(frontend.pod.containers, 'http')).toBe(listen);
    expect(frontend.pod.containers[0]?.readinessProbe?.httpGet?.path).toBe('/healthz');
  });

  it('take the backend settings from the ConfigMap and the Secret', () => {
    const refs = backendContainer.envFrom ?? [];
    expect(refs.some((r) => r.configMapRef?.name === configMap.metadata.name)).toBe(true);
    expect(refs.some((r) => r.secretRef?.name)).toBe(true);
    expect(migrateJob.pod.containers[0]?.envFrom).toEqual(refs);
  });

  it('set or document every environment variable the backend reads (keys of EnvSchema)', () => {
    const secretKeys = kind('Secret').flatMap((s) => Object.keys((s.stringData ?? {}) as object));
    const podEnv = (backendContainer.env ?? []).map((e) => e.name);
    // the ConfigMap's comments name what is deliberately left unset, and why
    const documented = [...read('infra/k8s/configmap.yaml').matchAll(/^#\s+([A-Z][A-Z0-9_]+)\s/gm)].map((m) => m[1]);
    const known = new Set([...Object.keys(configData), ...secretKeys, ...podEnv, ...documented]);
    expect(backendEnvKeys().filter((key) => !known.has(key))).toEqual([]);
    expect(secretKeys).toContain('DATABASE_URL');
  });

  it('migrate with the backend image, in a Job that does not restart pods in place', () => {
    expect(migrateJob.pod.containers[0]?.image).toBe(backendContainer.image);
    expect(migrateJob.pod.restartPolicy).toBe('Never');
  });

  it('tag the dxoc images the same, and as the compose file does', () => {
    const tags = new Set([backendContainer.image, frontend.pod.containers[0]?.image ?? ''].map(imageTag));
    expect(tags.size).toBe(1);
    expect(read('infra/compose/.env.example')).toContain(`DXOC_VERSION=${[...tags][0]}`);
  });

  it('route /api and /socket.io to the backend with websocket-friendly timeouts, the rest to the frontend', () => {
    const ingress = one(kind('Ingress'), 'Ingress') as KubeObject & {
      spec: { rules: Array<{ http: { paths: Array<{ path: string; pathType: string; backend: { service: { name: string } } }> } }> };
    };
    const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
    const to = (path: string) => paths.find((p) => p.path === path)?.backend.service.name;
    expect(to('/api')).toBe(backendService.metadata.name);
    expect(to('/socket.io')).toBe(backendService.metadata.name);
    expect(to('/')).toBe('frontend');
    const annotations = ingress.metadata.annotations ?? {};
    for (const key of ['nginx.ingress.kubernetes.io/proxy-read-timeout', 'nginx.ingress.kubernetes.io/proxy-send-timeout']) {
      expect(Number(annotations[key]), key).toBeGreaterThanOrEqual(3600);
    }
    for (const key of ['nginx.org/proxy-read-timeout', 'nginx.org/proxy-send-timeout'])
      expect(parseInt(annotations[key] ?? '0', 10), key).toBeGreaterThanOrEqual(3600);
    expect((annotations['nginx.org/websocket-services'] ?? '').split(',').map((s) => s.trim())).toContain(backendService.metadata.name);
    expect(annotations['nginx.ingress.kubernetes.io/upstream-hash-by']).toBe('$remote_addr');
  });

  it('protect the backend with a PodDisruptionBudget', () => {
    const budgets = kind('PodDisruptionBudget').filter((b) =>
      Object.entries((b.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels).every(
        ([k, v]) => backend.labels[k] === v,
      ),
    );
    expect(budgets).toHaveLength(1);
  });

  it('apply nothing outside the dxoc namespace except the Namespace itself', () => {
    expect(applied.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'dxoc')).toEqual([]);
  });
});
