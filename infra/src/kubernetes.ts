// The project's rules for the Kubernetes manifests, on the parsed YAML: pinned images, probes, resources, the
// restricted pod security profile, one namespace, and references between objects. Whether the API server accepts
// each object (schemas, selector = template labels, a Job's restartPolicy) needs a cluster or downloaded schemas:
// `kubectl apply --dry-run=server -k infra/k8s` before a release.
import { imagePinProblem } from './images';
import type { KubeObject } from './files';

type Probe = { httpGet?: { path?: string; port: number | string }; tcpSocket?: { port: number | string } };

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
  }>;
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
  capabilities?: { drop?: string[] };
  seccompProfile?: { type: string };
}

export interface Workload {
  object: KubeObject;
  labels: Record<string, string>;
  pod: { containers: Container[]; initContainers?: Container[]; securityContext?: SecurityContext; restartPolicy?: string };
  replicas: number;
}

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifests are untyped YAML
const spec = (object: KubeObject): Spec => (object.spec ?? {}) as Spec;
const id = (object: KubeObject) => `${object.kind}/${object.metadata?.name}`;

export function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(object.kind))
    .map((object) => {
      const template = (object.kind === 'CronJob' ? spec(object).jobTemplate?.spec?.template : spec(object).template) ?? {};
      const replicas = ['Deployment', 'StatefulSet'].includes(object.kind) ? Number(spec(object).replicas ?? 1) : 1;
      return { object, labels: template.metadata?.labels ?? {}, pod: template.spec ?? { containers: [] }, replicas };
    });
}

export const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The container port a probe or Service targetPort names (by name or number), or null. */
export function resolvePort(containers: Container[], port: number | string | undefined): number | null {
  const declared = containers.flatMap((container) => container.ports ?? []);
  return declared.find((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port))?.containerPort ?? null;
}

/** Checks every manifest on its own and against the others. */
export function checkKubernetes(objects: KubeObject[], options: { namespace: string }): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => objects.filter((object) => object.kind === kind);
  for (const object of objects) {
    if (
      !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass'].includes(object.kind) &&
      object.metadata?.namespace !== options.namespace
    ) {
      problems.push(`${id(object)}: namespace is ${object.metadata?.namespace ?? '(none)'}, not ${options.namespace}`);
    }
  }
  if (!byKind('Namespace').some((ns) => ns.metadata.name === options.namespace)) problems.push(`no Namespace ${options.namespace}`);

  const keysOf = (kind: string, fields: string[]) =>
    new Map(
      byKind(kind).map((object) => [
        object.metadata.name,
        new Set(fields.flatMap((field) => Object.keys((object[field] ?? {}) as object))),
      ]),
    );
  const secretKeys = keysOf('Secret', ['stringData', 'data']);
  const configMapKeys = keysOf('ConfigMap', ['data']);

  for (const workload of workloads(objects)) {
    const { pod } = workload;
    const oneShot = ['Job', 'CronJob'].includes(workload.object.kind);
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const at = `${id(workload.object)} container ${container.name}`;
      const pin = imagePinProblem(container.image ?? '');
      if (pin) problems.push(`${at}: image ${pin}`);
      if (!oneShot && !(pod.initContainers ?? []).includes(container)) {
        if (!container.readinessProbe) problems.push(`${at}: no readinessProbe`);
        if (!container.livenessProbe) problems.push(`${at}: no livenessProbe`);
      }
      for (const kind of ['readiness', 'liveness', 'startup'] as const) {
        const probe = container[`${kind}Probe`];
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
        if (port !== undefined && resolvePort([container], port) === null)
          problems.push(`${at}: ${kind}Probe port ${port} is not a declared containerPort`);
      }
      for (const resource of ['cpu', 'memory']) {
        if (!container.resources?.requests?.[resource]) problems.push(`${at}: no ${resource} request`);
        if (!container.resources?.limits?.[resource]) problems.push(`${at}: no ${resource} limit`);
      }
      // the "restricted" Pod Security Standard
      const security = container.securityContext ?? {};
      const podSecurity = pod.securityContext ?? {};
      if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
      if ((security.runAsUser ?? podSecurity.runAsUser) === 0) problems.push(`${at}: runs as uid 0`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (!(security.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities are not dropped (drop: [ALL])`);
      if ((security.seccompProfile ?? podSecurity.seccompProfile)?.type !== 'RuntimeDefault')
        problems.push(`${at}: no RuntimeDefault seccompProfile`);
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !configMapKeys.has(source.configMapRef.name))
          problems.push(`${at}: envFrom names unknown ConfigMap ${source.configMapRef.name}`);
        if (source.secretRef && !secretKeys.has(source.secretRef.name))
          problems.push(`${at}: envFrom names unknown Secret ${source.secretRef.name}`);
      }
      for (const variable of container.env ?? []) {
        const secretRef = variable.valueFrom?.secretKeyRef;
        if (secretRef && !secretKeys.get(secretRef.name)?.has(secretRef.key))
          problems.push(`${at}: ${variable.name} names unknown Secret key ${secretRef.name}/${secretRef.key}`);
        const configRef = variable.valueFrom?.configMapKeyRef;
        if (configRef && !configMapKeys.get(configRef.name)?.has(configRef.key))
          problems.push(`${at}: ${variable.name} names unknown ConfigMap key ${configRef.name}/${configRef.key}`);
      }
    }
  }

  const services = byKind('Service');
  for (const service of services) {
    const targets = workloads(objects).filter((workload) => matches(spec(service).selector, workload.labels));
    if (targets.length === 0) problems.push(`${id(service)}: its selector matches no workload`);
    for (const port of (spec(service).ports ?? []) as Array<{ port: number; targetPort?: number | string }>) {
      for (const workload of targets) {
        if (resolvePort(workload.pod.containers, port.targetPort ?? port.port) === null) {
          problems.push(`${id(service)}: targetPort ${port.targetPort ?? port.port} is not a containerPort of ${id(workload.object)}`);
        }
      }
    }
  }

  for (const ingress of byKind('Ingress')) {
    type Route = { path: string; backend: { service: { name: string; port: { name?: string; number?: number } } } };
    for (const route of ((spec(ingress).rules ?? []) as Array<{ http?: { paths: Route[] } }>).flatMap((rule) => rule.http?.paths ?? [])) {
      const target = services.find((service) => service.metadata.name === route.backend?.service?.name);
      const port = route.backend?.service?.port ?? {};
      if (!target) problems.push(`${id(ingress)}: ${route.path} goes to unknown Service ${route.backend?.service?.name}`);
      else if (
        !((spec(target).ports ?? []) as Array<{ name?: string; port: number }>).some((p) =>
          port.name !== undefined ? p.name === port.name : p.port === port.number,
        )
      ) {
        problems.push(
          `${id(ingress)}: ${route.path} names port ${port.name ?? port.number}, which Service ${target.metadata.name} does not have`,
        );
      }
    }
  }

  for (const budget of byKind('PodDisruptionBudget')) {
    const targets = workloads(objects).filter((workload) => matches(spec(budget).selector?.matchLabels, workload.labels));
    if (targets.length === 0) problems.push(`${id(budget)}: its selector matches no workload`);
    const minAvailable = spec(budget).minAvailable;
    for (const workload of targets) {
      if (typeof minAvailable === 'number' && minAvailable >= workload.replicas) {
        problems.push(
          `${id(budget)}: minAvailable ${minAvailable} with ${workload.replicas} replicas blocks every voluntary eviction (node drains)`,
        );
      }
    }
  }
  return problems;
}
