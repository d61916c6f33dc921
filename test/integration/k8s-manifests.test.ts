import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DASHBOARD_DIR } from '../../src/app/http/dashboard.routes.ts';
import { OAUTH_CALLBACK_ROUTE } from '../../src/app/http/routes/accounts.routes.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { JOB_NAMES } from '../../src/platform/queue/jobs.ts';
import { createUnknownFieldChecker } from '../support/k8s-unknown-fields.ts';
import {
  containerOf,
  environmentOf,
  K8S_DIR,
  type K8sObject,
  named,
  OVERLAYS,
  ofKind,
  podsSelectedBy,
  render,
  schemaErrors,
  selects,
  workloads,
} from '../support/kustomize.ts';

const SECRET_NAME = 'threads-agent-secrets';
/** The keys the example env file documents: the manifests may reference no other. */
const SECRET_KEYS = fs
  .readFileSync(path.join(K8S_DIR, 'secrets.example.env'), 'utf8')
  .split('\n')
  .filter((line) => /^[A-Z_]+=/.test(line))
  .map((line) => line.slice(0, line.indexOf('=')));
/** Without these the roles would each make their own key file or use the embedded database. */
const REQUIRED_SECRET_KEYS = ['DATABASE_URL', 'TOKEN_ENCRYPTION_KEY'];
/** README: SIGTERM lets running jobs finish for up to 30 s before handing them back. */
const WORKER_DRAIN_SECONDS = 30;
/** PostgreSQL's default max_connections (100) less its superuser reserve (3). */
const DATABASE_CONNECTIONS = 97;

/** The configuration variables the README documents (a row may name two, `A`, `B`). */
const DOCUMENTED_VARIABLES = new Set(
  fs
    .readFileSync('README.md', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)),
);

const renders = new Map<string, K8sObject[]>();
let unknownFields: (object: K8sObject) => string[];

beforeAll(() => {
  renders.set('base', render(path.join(K8S_DIR, 'base')));
  for (const overlay of OVERLAYS) renders.set(overlay, render(path.join(K8S_DIR, 'overlays', overlay)));
  const kinds = new Map([...renders.values()].flat().map((o) => [`${o.apiVersion}/${o.kind}`, o]));
  unknownFields = createUnknownFieldChecker([...kinds.values()]);
});

function objects(name: string): K8sObject[] {
  const found = renders.get(name);
  if (!found) throw new Error(`${name} was not rendered`);
  return found;
}
const isProductImage = (image: string) => /(^|\/)threads-agent(:|$)/.test(image);

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('has the overlays the docs name', () => {
    expect(OVERLAYS).toEqual(['dev', 'prod', 'prod-hpa']);
  });

  describe.each(['base', 'dev', 'prod', 'prod-hpa'])('%s', (name) => {
    it('renders objects that all pass the Kubernetes (and KEDA) schemas, with no field they lack', () => {
      const list = objects(name);
      expect(list.length).toBeGreaterThan(10);
      const failures = list.map((o) => [`${o.kind}/${o.metadata.name}`, schemaErrors(o)]).filter(([, e]) => e !== null);
      expect(failures).toEqual([]);
      expect(list.flatMap((o) => unknownFields(o).map((f) => `${o.metadata.name}: ${f}`))).toEqual([]);
    });

    it('gives every container resource requests and limits, and every server probes', () => {
      for (const { object, containers } of workloads(objects(name))) {
        for (const c of containers) {
          const where = `${object.kind}/${object.metadata.name}/${c.name}`;
          expect(c.resources?.requests?.cpu, where).toBeDefined();
          expect(c.resources?.requests?.memory, where).toBeDefined();
          expect(c.resources?.limits?.memory, where).toBeDefined();
          if (object.kind !== 'Job') {
            expect(c.readinessProbe, where).toBeDefined();
            expect(c.livenessProbe, where).toBeDefined();
          }
        }
      }
    });

    it('probes /ready and /health on the port each role listens on', () => {
      const list = objects(name);
      for (const { object, containers } of workloads(list)) {
        for (const c of containers) {
          const role = c.args?.[0];
          if (!isProductImage(c.image) || (role !== 'api' && role !== 'worker')) continue;
          const env = environmentOf(list, c);
          const listening = Number(role === 'api' ? env.PORT : env.WORKER_METRICS_PORT);
          const portOf = (probe: { httpGet: { path: string; port: string | number } }) => {
            const port = probe.httpGet.port;
            return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
          };
          const where = `${object.metadata.name}`;
          expect(c.readinessProbe.httpGet.path, where).toBe('/ready');
          expect(c.livenessProbe.httpGet.path, where).toBe('/health');
          expect(portOf(c.readinessProbe), where).toBe(listening);
          expect(portOf(c.livenessProbe), where).toBe(listening);
          expect(portOf(c.startupProbe), where).toBe(listening);
        }
      }
    });

    it('runs every pod as non-root on a read-only root, without a service account token', () => {
      const list = objects(name);
      for (const { object, pod, containers } of workloads(list)) {
        const where = `${object.kind}/${object.metadata.name}`;
        expect(pod.spec.automountServiceAccountToken, where).toBe(false);
        const account = named(list, 'ServiceAccount', pod.spec.serviceAccountName);
        expect(account, `${where}: its ServiceAccount`).toBeDefined();
        expect(account!.automountServiceAccountToken, where).toBe(false);
        expect(pod.spec.securityContext.runAsNonRoot, where).toBe(true);
        const volumes = new Map<string, Record<string, unknown>>(
          pod.spec.volumes.map((v: { name: string }) => [v.name, v]),
        );
        for (const c of containers) {
          expect(c.securityContext.readOnlyRootFilesystem, `${where}/${c.name}`).toBe(true);
          expect(c.securityContext.allowPrivilegeEscalation, `${where}/${c.name}`).toBe(false);
          expect(c.securityContext.capabilities.drop, `${where}/${c.name}`).toEqual(['ALL']);
          if (!isProductImage(c.image)) continue;
          // What the product writes: tsx's cache in the temporary directory, and DATA_DIR.
          const writable = ['/tmp', environmentOf(list, c).DATA_DIR];
          for (const dir of writable) {
            const mount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === dir);
            expect(mount, `${where}/${c.name} mounts ${dir}`).toBeDefined();
            const volume = volumes.get(mount!.name);
            expect(volume?.emptyDir ?? volume?.persistentVolumeClaim, `${where}: ${dir} is writable`).toBeDefined();
          }
        }
      }
    });

    it('takes secrets from the Secret by reference only, and ships no Secret', () => {
      const list = objects(name);
      expect(ofKind(list, 'Secret')).toEqual([]);
      for (const map of ofKind(list, 'ConfigMap')) {
        const leaked = Object.keys(map.data ?? {}).filter(
          (k) => SECRET_KEYS.includes(k) || /SECRET|PASSWORD|_KEY$|TOKEN$/.test(k),
        );
        expect(leaked, map.metadata.name).toEqual([]);
      }
      for (const { object, containers } of workloads(list)) {
        for (const c of containers) {
          for (const entry of c.env ?? []) {
            const where = `${object.metadata.name}/${c.name}: ${entry.name}`;
            if (!SECRET_KEYS.includes(entry.name)) continue;
            expect(entry.value, where).toBeUndefined();
            expect(entry.valueFrom?.secretKeyRef, where).toMatchObject({ name: SECRET_NAME, key: entry.name });
            expect(entry.valueFrom!.secretKeyRef!.optional ?? false, where).toBe(
              !REQUIRED_SECRET_KEYS.includes(entry.name) && entry.name !== 'POSTGRES_PASSWORD',
            );
          }
        }
      }
    });

    it('configures the product only with documented variables, whose values it accepts', () => {
      const list = objects(name);
      for (const { object, containers } of workloads(list)) {
        for (const c of containers.filter((x) => isProductImage(x.image))) {
          const env = environmentOf(list, c);
          const names = [...Object.keys(env), ...(c.env ?? []).map((e) => e.name)];
          expect(
            names.filter((n) => !DOCUMENTED_VARIABLES.has(n)),
            `${object.metadata.name}/${c.name}`,
          ).toEqual([]);
          const secrets = { DATABASE_URL: 'postgres://u:p@db:5432/d', TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32) };
          expect(() => loadConfig({ ...env, ...secrets, DATA_DIR: os.tmpdir() }), object.metadata.name).not.toThrow();
        }
      }
    });

    it('points every Service, PodDisruptionBudget and NetworkPolicy at pods that exist', () => {
      const list = objects(name);
      for (const service of ofKind(list, 'Service')) {
        const pods = podsSelectedBy(list, { matchLabels: service.spec.selector });
        expect(pods.length, `Service ${service.metadata.name}`).toBeGreaterThan(0);
        for (const port of service.spec.ports) {
          const served = pods.some((p) =>
            p.containers.some((c) =>
              c.ports?.some((cp) => cp.name === port.targetPort || cp.containerPort === port.targetPort),
            ),
          );
          expect(served, `Service ${service.metadata.name} port ${port.name}`).toBe(true);
        }
      }
      for (const pdb of ofKind(list, 'PodDisruptionBudget')) {
        const pods = podsSelectedBy(list, pdb.spec.selector);
        expect(
          pods.map((p) => p.object.kind),
          `PDB ${pdb.metadata.name}`,
        ).toEqual(['Deployment']);
      }
      for (const policy of ofKind(list, 'NetworkPolicy')) {
        expect(
          podsSelectedBy(list, policy.spec.podSelector).length,
          `NetworkPolicy ${policy.metadata.name}`,
        ).toBeGreaterThan(0);
        const peers = [
          ...(policy.spec.ingress ?? []).flatMap((r: any) => r.from ?? []),
          ...(policy.spec.egress ?? []).flatMap((r: any) => r.to ?? []),
        ];
        for (const peer of peers.filter((p: any) => p.podSelector && !p.namespaceSelector)) {
          expect(
            podsSelectedBy(list, peer.podSelector).length,
            `NetworkPolicy ${policy.metadata.name} peer`,
          ).toBeGreaterThan(0);
        }
      }
    });
  });

  it('closes every pod by default and opens the API only to the ingress controller and Prometheus', () => {
    for (const name of ['base', ...OVERLAYS]) {
      const list = objects(name);
      const policies = ofKind(list, 'NetworkPolicy');
      const deny = policies.find(
        (p) =>
          p.spec.policyTypes.includes('Ingress') &&
          p.spec.policyTypes.includes('Egress') &&
          !p.spec.ingress &&
          !p.spec.egress,
      );
      expect(deny, name).toBeDefined();
      for (const w of workloads(list))
        expect(selects(deny!.spec.podSelector, w.pod.metadata.labels), w.object.metadata.name).toBe(true);
      const api = workloads(list).find((w) => w.object.metadata.name === 'threads-agent-api')!;
      const apiIngress = policies.filter((p) => p.spec.ingress && selects(p.spec.podSelector, api.pod.metadata.labels));
      const sources = apiIngress.flatMap((p) =>
        p.spec.ingress.flatMap((r: any) =>
          r.from.map((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']),
        ),
      );
      expect(sources.sort(), name).toEqual(['ingress-nginx', 'monitoring']);
    }
  });

  it('ends TLS at the ingress for the host it routes, and publishes the API, its docs and the dashboard only', () => {
    // What the api serves at the top level: the API, its docs, and the dashboard's built files and pages.
    const dashboard = fs
      .readdirSync(DASHBOARD_DIR, { withFileTypes: true })
      .filter((entry) => !/^(404|_not-found)/.test(entry.name) && entry.name !== 'index.html')
      .map((entry) => `/${entry.name} ${entry.isDirectory() ? 'Prefix' : 'Exact'}`);
    const published = ['/v1 Prefix', '/docs Prefix', '/ Exact', ...dashboard];
    for (const name of ['base', ...OVERLAYS]) {
      const [ingress, ...more] = ofKind(objects(name), 'Ingress');
      expect(more).toEqual([]);
      const hosts = ingress!.spec.rules.map((r: { host: string }) => r.host);
      expect(ingress!.spec.tls, name).toEqual([{ hosts, secretName: 'threads-agent-tls' }]);
      for (const rule of ingress!.spec.rules) {
        expect(new Set(rule.http.paths.map((p: any) => p.backend.service.name)), name).toEqual(
          new Set(['threads-agent-api']),
        );
        const paths = rule.http.paths.map((p: any) => `${p.path} ${p.pathType}`);
        expect([...paths].sort(), name).toEqual([...published].sort());
        // /metrics answers without a token (KPIs, revenue): it must not be reachable from outside.
        for (const inside of ['/metrics', '/health', '/ready']) {
          const reaches = rule.http.paths.some((p: any) =>
            p.pathType === 'Exact'
              ? p.path === inside
              : inside === p.path || inside.startsWith(`${p.path.replace(/\/$/, '')}/`),
          );
          expect(reaches, `${name} ${inside}`).toBe(false);
        }
      }
    }
    // Meta sends the browser back to THREADS_REDIRECT_URI: it must be this host, over HTTPS.
    for (const name of OVERLAYS) {
      const list = objects(name);
      const api = containerOf(list, 'Deployment', 'threads-agent-api');
      const host = ofKind(list, 'Ingress')[0]!.spec.rules[0].host;
      expect(environmentOf(list, api).THREADS_REDIRECT_URI, name).toBe(`https://${host}${OAUTH_CALLBACK_ROUTE}`);
    }
    expect(ofKind(objects('dev'), 'Ingress')[0]!.spec.rules[0].host).not.toBe(
      ofKind(objects('prod'), 'Ingress')[0]!.spec.rules[0].host,
    );
    expect(
      ofKind(objects('prod'), 'Ingress')[0]!.metadata.annotations!['cert-manager.io/cluster-issuer'],
    ).toBeDefined();
  });

  it('documents every secret key it references, and no kustomization includes the example', () => {
    const referenced = new Set<string>();
    for (const name of ['base', ...OVERLAYS]) {
      for (const { containers } of workloads(objects(name))) {
        for (const c of containers)
          for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) referenced.add(e.valueFrom.secretKeyRef.key);
      }
      for (const auth of ofKind(objects(name), 'TriggerAuthentication'))
        for (const ref of auth.spec.secretTargetRef) referenced.add(ref.key);
    }
    expect([...referenced].sort()).toEqual([...SECRET_KEYS].sort());
    const kustomizations = fs
      .readdirSync(K8S_DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('kustomization.yaml'));
    // The parsed fields (resources, generators, patches), not the comments that explain the file.
    for (const file of kustomizations) {
      const fields = JSON.stringify(YAML.parse(fs.readFileSync(path.join(K8S_DIR, file), 'utf8')));
      expect(fields, file).not.toMatch(/secrets\.(example\.)?env/);
    }
  });

  it('gives the worker longer to stop than its drain, and the API longer than its preStop pause', () => {
    for (const name of ['base', ...OVERLAYS]) {
      const list = objects(name);
      const worker = named(list, 'Deployment', 'threads-agent-worker')!;
      // Closing the server, the pool and the trace exporter comes after the drain.
      expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(WORKER_DRAIN_SECONDS + 15);
      const api = named(list, 'Deployment', 'threads-agent-api')!;
      const pause = Number(api.spec.template.spec.containers[0].lifecycle.preStop.exec.command[1]);
      expect(api.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(pause + 30);
    }
  });

  it('scales the workers with exactly one autoscaler in prod (KEDA) and prod-hpa (CPU), none in dev', () => {
    const autoscalers = (list: K8sObject[]) =>
      list.filter((o) => o.kind === 'ScaledObject' || o.kind === 'HorizontalPodAutoscaler');
    expect(autoscalers(objects('dev'))).toEqual([]);
    expect(autoscalers(objects('prod')).map((o) => o.kind)).toEqual(['ScaledObject']);
    expect(autoscalers(objects('prod-hpa')).map((o) => o.kind)).toEqual(['HorizontalPodAutoscaler']);
    for (const name of ['prod', 'prod-hpa']) {
      const list = objects(name);
      const [scaler] = autoscalers(list);
      const target = named(list, scaler!.spec.scaleTargetRef.kind, scaler!.spec.scaleTargetRef.name);
      expect(target?.metadata.name, name).toBe('threads-agent-worker');
      // A replicas field would be reset by every `kubectl apply`, fighting the autoscaler.
      expect(target!.spec.replicas, name).toBeUndefined();
      const cpu = target!.spec.template.spec.containers[0].resources.requests.cpu;
      expect(cpu, 'CPU utilization needs a CPU request').toBeDefined();
    }
    const keda = ofKind(objects('prod'), 'ScaledObject')[0]!;
    const hpa = ofKind(objects('prod-hpa'), 'HorizontalPodAutoscaler')[0]!;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([
      keda.spec.minReplicaCount,
      keda.spec.maxReplicaCount,
    ]);
    // Cron jobs (schedule-posts every minute) and due publications always need a worker.
    expect(keda.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(hpa.spec.behavior.scaleDown).toEqual(keda.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown);
  });

  it('reads queue depth for KEDA from pg-boss, over the DATABASE_URL of the Secret', () => {
    const list = objects('prod');
    const [trigger, ...others] = ofKind(list, 'ScaledObject')[0]!.spec.triggers;
    expect(others).toEqual([]);
    expect(trigger.type).toBe('postgresql');
    const auth = named(list, 'TriggerAuthentication', trigger.authenticationRef.name);
    expect(auth?.spec.secretTargetRef).toEqual([{ parameter: 'connection', name: SECRET_NAME, key: 'DATABASE_URL' }]);
    const query: string = trigger.metadata.query;
    const queues = [...query.match(/name IN \(([^)]*)\)/)![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(queues.sort()).toEqual([...JOB_NAMES].sort());
    const states = [...query.match(/state IN \(([^)]*)\)/)![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(states.sort()).toEqual(['created', 'retry']);
    expect(Number(trigger.metadata.targetQueryValue)).toBeGreaterThan(0);
  });

  it("keeps the database connections of the largest prod scale under PostgreSQL's default limit", () => {
    for (const name of ['prod', 'prod-hpa']) {
      const list = objects(name);
      const poolOf = (deployment: string) => {
        return Number(environmentOf(list, containerOf(list, 'Deployment', deployment)).DATABASE_POOL_MAX);
      };
      const scaler = list.find((o) => o.kind === 'ScaledObject' || o.kind === 'HorizontalPodAutoscaler')!;
      const maxWorkers = scaler.spec.maxReplicaCount ?? scaler.spec.maxReplicas;
      const apiReplicas = named(list, 'Deployment', 'threads-agent-api')!.spec.replicas;
      const migrate = containerOf(list, 'Job', 'threads-agent-migrate');
      const total =
        apiReplicas * poolOf('threads-agent-api') +
        maxWorkers * poolOf('threads-agent-worker') +
        Number(environmentOf(list, migrate).DATABASE_POOL_MAX) +
        1;
      expect(total, `${name}: api × pool + workers × pool + migrate + KEDA`).toBeLessThanOrEqual(DATABASE_CONNECTIONS);
    }
  });

  it('runs the simulator in dev only, with the roles pointed at it, and pins the prod image', () => {
    const components = (list: K8sObject[]) =>
      workloads(list).map((w) => w.pod.metadata.labels['app.kubernetes.io/component']);
    expect(components(objects('dev'))).toContain('simulator');
    for (const name of ['base', 'prod', 'prod-hpa']) expect(components(objects(name)), name).not.toContain('simulator');
    const dev = objects('dev');
    const api = containerOf(dev, 'Deployment', 'threads-agent-api');
    const simUrl = new URL(environmentOf(dev, api).THREADS_API_BASE_URL!);
    const simService = named(dev, 'Service', simUrl.hostname);
    expect(simService?.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(simUrl.port));
    for (const name of ['prod', 'prod-hpa']) {
      const images = new Set(workloads(objects(name)).flatMap((w) => w.containers.map((c) => c.image)));
      expect([...images], name).toEqual([expect.stringMatching(/^[^:]+\/threads-agent:\d+\.\d+\.\d+$/)]);
      const prodApi = containerOf(objects(name), 'Deployment', 'threads-agent-api');
      expect(environmentOf(objects(name), prodApi).THREADS_API_BASE_URL).toBe('https://graph.threads.net');
    }
  });
});
