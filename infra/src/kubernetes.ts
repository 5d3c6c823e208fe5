// Checks of Kubernetes manifests that need no cluster: references between objects, probes, resources,
// pod security, pinned images.
import { imagePinProblem } from './images';
import type { KubeObject } from './files';

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  grpc?: { port: number };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string }; fieldRef?: unknown } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type: string };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
  restartPolicy?: string;
}

export interface Workload {
  object: KubeObject;
  labels: Record<string, string>;
  pod: PodSpec;
  replicas: number;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'IngressClass', 'CustomResourceDefinition']);

type Spec = Record<string, unknown>;
const spec = (object: KubeObject): Spec => (object.spec ?? {}) as Spec;

export function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((object) => WORKLOAD_KINDS.has(object.kind))
    .map((object) => {
      const template = (object.kind === 'CronJob'
        ? (((spec(object).jobTemplate as Spec)?.spec as Spec)?.template as Spec)
        : (spec(object).template as Spec)) ?? {};
      const metadata = (template.metadata ?? {}) as { labels?: Record<string, string> };
      const replicas = object.kind === 'Deployment' || object.kind === 'StatefulSet' ? Number(spec(object).replicas ?? 1) : 1;
      return { object, labels: metadata.labels ?? {}, pod: (template.spec ?? { containers: [] }) as PodSpec, replicas };
    });
}

export const allContainers = (pod: PodSpec): Container[] => [...(pod.initContainers ?? []), ...(pod.containers ?? [])];

export const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The container port a probe or Service targetPort names (by name or number), or null. */
export function resolvePort(containers: Container[], port: number | string | undefined): number | null {
  if (port === undefined) return null;
  for (const container of containers) {
    for (const declared of container.ports ?? []) {
      if (typeof port === 'number' ? declared.containerPort === port : declared.name === port) return declared.containerPort;
    }
  }
  return null;
}

function probePort(probe: Probe): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

const id = (object: KubeObject) => `${object.kind}/${object.metadata?.name}`;

/** Checks every manifest on its own and against the others. */
export function checkKubernetes(objects: KubeObject[], options: { namespace: string }): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => objects.filter((object) => object.kind === kind);
  const names = (kind: string) => new Set(byKind(kind).map((object) => object.metadata.name));

  for (const object of objects) {
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      problems.push(`an object lacks apiVersion, kind or metadata.name: ${JSON.stringify(object).slice(0, 80)}`);
      continue;
    }
    if (!CLUSTER_SCOPED.has(object.kind) && object.metadata.namespace !== options.namespace) {
      problems.push(`${id(object)}: namespace is ${object.metadata.namespace ?? '(none)'}, not ${options.namespace}`);
    }
  }
  if (!names('Namespace').has(options.namespace)) problems.push(`no Namespace ${options.namespace}`);

  for (const configMap of byKind('ConfigMap')) {
    for (const [key, value] of Object.entries((configMap.data ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string') problems.push(`${id(configMap)}: ${key} is a ${typeof value}; ConfigMap values must be strings (quote it)`);
    }
  }

  const secretKeys = new Map(byKind('Secret').map((secret) => [
    secret.metadata.name,
    new Set([...Object.keys((secret.stringData ?? {}) as object), ...Object.keys((secret.data ?? {}) as object)]),
  ]));
  const configMapKeys = new Map(byKind('ConfigMap').map((cm) => [cm.metadata.name, new Set(Object.keys((cm.data ?? {}) as object))]));

  for (const workload of workloads(objects)) {
    const where = id(workload.object);
    const pod = workload.pod;
    if (!pod.containers?.length) {
      problems.push(`${where}: no containers`);
      continue;
    }
    const selector = (spec(workload.object).selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
    if (workload.object.kind !== 'Job' && workload.object.kind !== 'CronJob' && !matches(selector, workload.labels)) {
      problems.push(`${where}: selector does not match the pod template's labels`);
    }
    if ((workload.object.kind === 'Job' || workload.object.kind === 'CronJob') && !['Never', 'OnFailure'].includes(pod.restartPolicy ?? '')) {
      problems.push(`${where}: a Job's pods need restartPolicy Never or OnFailure`);
    }
    const podSecurity = pod.securityContext ?? {};
    for (const container of allContainers(pod)) {
      const at = `${where} container ${container.name}`;
      const pin = imagePinProblem(container.image ?? '');
      if (pin) problems.push(`${at}: image ${pin}`);
      const longRunning = workload.object.kind !== 'Job' && workload.object.kind !== 'CronJob' && !(pod.initContainers ?? []).includes(container);
      if (longRunning) {
        if (!container.readinessProbe) problems.push(`${at}: no readinessProbe`);
        if (!container.livenessProbe) problems.push(`${at}: no livenessProbe`);
      }
      for (const [kind, probe] of [['readiness', container.readinessProbe], ['liveness', container.livenessProbe], ['startup', container.startupProbe]] as const) {
        if (!probe) continue;
        const port = probePort(probe);
        if (port !== undefined && resolvePort([container], port) === null) problems.push(`${at}: ${kind}Probe port ${port} is not a declared containerPort`);
      }
      for (const resource of ['cpu', 'memory']) {
        if (!container.resources?.requests?.[resource]) problems.push(`${at}: no ${resource} request`);
        if (!container.resources?.limits?.[resource]) problems.push(`${at}: no ${resource} limit`);
      }
      const security = container.securityContext ?? {};
      if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
      if ((security.runAsUser ?? podSecurity.runAsUser) === 0) problems.push(`${at}: runs as uid 0`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (!(security.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities are not dropped (drop: [ALL])`);
      if ((security.seccompProfile ?? podSecurity.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${at}: no RuntimeDefault seccompProfile`);
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !configMapKeys.has(source.configMapRef.name)) problems.push(`${at}: envFrom names unknown ConfigMap ${source.configMapRef.name}`);
        if (source.secretRef && !secretKeys.has(source.secretRef.name)) problems.push(`${at}: envFrom names unknown Secret ${source.secretRef.name}`);
      }
      for (const variable of container.env ?? []) {
        const secretRef = variable.valueFrom?.secretKeyRef;
        if (secretRef && !secretKeys.get(secretRef.name)?.has(secretRef.key)) problems.push(`${at}: ${variable.name} names unknown Secret key ${secretRef.name}/${secretRef.key}`);
        const configRef = variable.valueFrom?.configMapKeyRef;
        if (configRef && !configMapKeys.get(configRef.name)?.has(configRef.key)) problems.push(`${at}: ${variable.name} names unknown ConfigMap key ${configRef.name}/${configRef.key}`);
      }
    }
  }

  const services = byKind('Service');
  for (const service of services) {
    const serviceSpec = spec(service) as { selector?: Record<string, string>; ports?: Array<{ name?: string; port: number; targetPort?: number | string }> };
    const targets = workloads(objects).filter((workload) => matches(serviceSpec.selector, workload.labels));
    if (targets.length === 0) {
      problems.push(`${id(service)}: its selector matches no workload`);
      continue;
    }
    for (const port of serviceSpec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const workload of targets) {
        if (resolvePort(workload.pod.containers, target) === null) {
          problems.push(`${id(service)}: targetPort ${target} is not a containerPort of ${id(workload.object)}`);
        }
      }
    }
  }

  for (const ingress of byKind('Ingress')) {
    type Path = { path: string; backend: { service: { name: string; port: { name?: string; number?: number } } } };
    const rules = ((spec(ingress).rules ?? []) as Array<{ http?: { paths: Path[] } }>).flatMap((rule) => rule.http?.paths ?? []);
    for (const route of rules) {
      const target = services.find((service) => service.metadata.name === route.backend?.service?.name);
      if (!target) {
        problems.push(`${id(ingress)}: ${route.path} goes to unknown Service ${route.backend?.service?.name}`);
        continue;
      }
      const port = route.backend.service.port;
      const ports = ((spec(target).ports ?? []) as Array<{ name?: string; port: number }>);
      if (!ports.some((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number))) {
        problems.push(`${id(ingress)}: ${route.path} names port ${port.name ?? port.number}, which Service ${target.metadata.name} does not have`);
      }
    }
  }

  for (const budget of byKind('PodDisruptionBudget')) {
    const budgetSpec = spec(budget) as { minAvailable?: number; maxUnavailable?: number; selector?: { matchLabels?: Record<string, string> } };
    const targets = workloads(objects).filter((workload) => matches(budgetSpec.selector?.matchLabels, workload.labels));
    if (targets.length === 0) problems.push(`${id(budget)}: its selector matches no workload`);
    for (const workload of targets) {
      if (typeof budgetSpec.minAvailable === 'number' && budgetSpec.minAvailable >= workload.replicas) {
        problems.push(`${id(budget)}: minAvailable ${budgetSpec.minAvailable} with ${workload.replicas} replicas blocks every voluntary eviction (node drains)`);
      }
    }
  }
  return problems;
}
