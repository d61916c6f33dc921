/**
 * Test support for deploy/k8s: renders a kustomization with the real `kubectl kustomize` and
 * checks each object against the Kubernetes schemas that kubernetes-models ships (KEDA's from
 * @kubernetes-models/keda).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy, Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Service, ServiceAccount } from 'kubernetes-models/v1';
import YAML from 'yaml';

export const K8S_DIR = path.resolve('deploy', 'k8s');

/** Every kustomization a user applies: the overlays (and the base, which must render alone). */
export const OVERLAYS = fs
  .readdirSync(path.join(K8S_DIR, 'overlays'))
  .filter((name) => fs.existsSync(path.join(K8S_DIR, 'overlays', name, 'kustomization.yaml')))
  .sort();

/** A rendered object: only the fields every kind has are typed; the rest is read where needed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Rendered manifests are untyped YAML; each check reads the part it needs.
  [field: string]: any;
}

type Validating = new (data: never) => { validate(): void };

/** The model class of each kind the manifests may use; any other kind fails the check. */
const MODELS: Record<string, Validating> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** The schema errors of an object, or a message when its kind is not one the manifests may use. */
export function schemaErrors(object: K8sObject): string | null {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}: add its model to test/support/kustomize.ts`;
  try {
    new Model(object as never).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** kubectl from KUBECTL or PATH (Debian's kubernetes-client; .ci/run installs it). */
export function kubectl(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'kubectl');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('kubectl is not installed (not on PATH): apt-get install -y kubernetes-client (.ci/run installs it)');
}

/** `kubectl kustomize <dir>`, parsed; throws with kubectl's message when it does not render. */
export function render(dir: string): K8sObject[] {
  const result = spawnSync(kubectl(), ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`);
  return YAML.parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** A container as rendered; the fields the checks read are named, the rest is open. */
export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  envFrom?: { configMapRef?: { name: string } }[];
  [field: string]: any;
}

export const ofKind = (list: K8sObject[], kind: string) => list.filter((o) => o.kind === kind);

export const named = (list: K8sObject[], kind: string, name: string) =>
  list.find((o) => o.kind === kind && o.metadata.name === name);

/** The workloads (Deployments, StatefulSets, Jobs) with their pod template and containers. */
export function workloads(list: K8sObject[]) {
  return list.flatMap((object) => {
    if (!['Deployment', 'StatefulSet', 'Job'].includes(object.kind)) return [];
    const pod = object.spec.template as { metadata: { labels: Record<string, string> }; spec: K8sObject['spec'] };
    return [{ object, pod, containers: pod.spec.containers as Container[] }];
  });
}

/** The first container of a named workload. */
export function containerOf(list: K8sObject[], kind: string, name: string): Container {
  const workload = named(list, kind, name);
  if (!workload) throw new Error(`${kind} ${name} is not rendered`);
  return workload.spec.template.spec.containers[0];
}

/** The environment a container starts with: its ConfigMaps, then its own entries (which win). */
export function environmentOf(list: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const map = named(list, 'ConfigMap', from.configMapRef?.name ?? '');
    if (!map) throw new Error(`${container.name}: envFrom names ConfigMap ${from.configMapRef?.name}, not rendered`);
    Object.assign(env, map.data);
  }
  for (const entry of container.env ?? []) if (entry.value !== undefined) env[entry.name] = entry.value;
  return env;
}

/** A label selector (matchLabels and In/NotIn/Exists/DoesNotExist expressions) against labels. */
export function selects(
  selector: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  },
  labels: Record<string, string>,
): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'NotIn') return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    return value === undefined;
  });
  return byLabel && byExpression;
}

/** The workloads whose pod labels a selector matches. */
export function podsSelectedBy(list: K8sObject[], selector: Parameters<typeof selects>[0]) {
  return workloads(list).filter((w) => selects(selector, w.pod.metadata.labels));
}
