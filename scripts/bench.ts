// `npm run bench`: synthesizes a mesh of N services through cdk8s-mesh and the same objects
// through raw cdk8s ApiObjects, in one process, and compares wall time and memory.
//
// Each service: a Deployment per version (v1, v2), a Service and a ServiceAccount (the `k8s` L1
// from cdk8s-plus-27, identical in both variants), plus a DestinationRule with subsets v1/v2 and a
// VirtualService splitting 90/10 — rendered by MeshService in one variant and written as literal
// JSON ApiObjects in the other. Both variants run `App.synth()` into a temp dir, so the library
// number includes its synth-time analysis. Run with `node --expose-gc` (npm run bench does).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ANALYSIS_CONTEXT_KEY } from '../src/analysis/synth-analysis';
import { MeshService } from '../src/service/mesh-service';
import { ServicePort } from '../src/service/service-port';
import { RouteTo } from '../src/traffic/route-action';

const SIZES = (process.env.BENCH_SIZES ?? '500,2000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NAMESPACE = 'bench';
const VERSIONS = ['v1', 'v2'];

type Variant = 'cdk8s-mesh' | 'raw cdk8s' | 'cdk8s-mesh, analysis off';

/** The workloads of one service, the same in both variants. */
function workloads(scope: Construct, name: string): void {
  const labels = { app: name };
  new k8s.KubeServiceAccount(scope, `${name}-sa`, { metadata: { name, namespace: NAMESPACE } });
  new k8s.KubeService(scope, `${name}-svc`, {
    metadata: { name, namespace: NAMESPACE, labels },
    spec: { selector: labels, ports: [{ name: 'http', port: 8080, targetPort: k8s.IntOrString.fromNumber(8080), appProtocol: 'http' }] },
  });
  for (const version of VERSIONS) {
    const podLabels = { app: name, version };
    new k8s.KubeDeployment(scope, `${name}-${version}`, {
      metadata: { name: `${name}-${version}`, namespace: NAMESPACE, labels: podLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: { ...podLabels, 'sidecar.istio.io/inject': 'true' } },
          spec: {
            serviceAccountName: name,
            containers: [{
              name: 'app',
              image: `example.com/${name}:${version}`,
              ports: [{ containerPort: 8080, name: 'http' }],
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi') },
              },
            }],
          },
        },
      },
    });
  }
}

function meshService(chart: Chart, name: string): void {
  const s = new MeshService(chart, name, { ports: [ServicePort.http(8080)], versions: VERSIONS });
  s.setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 }));
  workloads(chart, name);
}

function rawService(chart: Chart, name: string): void {
  new ApiObject(chart, `${name}-dr`, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace: NAMESPACE },
    spec: { host: name, subsets: VERSIONS.map((v) => ({ name: v, labels: { version: v } })) },
  });
  new ApiObject(chart, `${name}-vs`, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      hosts: [name],
      http: [{ route: [{ destination: { host: name, subset: 'v1' }, weight: 90 }, { destination: { host: name, subset: 'v2' }, weight: 10 }] }],
    },
  });
  workloads(chart, name);
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('bench: run with node --expose-gc (npm run bench does)');
  g();
  g();
}

interface Sample {
  readonly seconds: number;
  /** CPU time (user + system) of the process, steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
  /** Heap retained by the synthesized app: freed when the app is dropped (after gc), MB. */
  readonly heapMb: number;
  readonly rssMb: number;
  readonly objects: number;
  readonly yaml: string;
}

/** Builds and synthesizes the mesh into `outdir`; returns the app, which holds the whole model. */
function synthesize(variant: Variant, n: number, outdir: string): App {
  const app = new App({ outdir });
  if (variant === 'cdk8s-mesh, analysis off') app.node.setContext(ANALYSIS_CONTEXT_KEY, 'off');
  const chart = new Chart(app, 'mesh', { namespace: NAMESPACE });
  for (let i = 0; i < n; i++) (variant === 'raw cdk8s' ? rawService : meshService)(chart, `svc-${i}`);
  app.synth();
  return app;
}

function once(variant: Variant, n: number): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-'));
  try {
    gc();
    const rssBefore = process.memoryUsage().rss;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    let app: App | undefined = synthesize(variant, n, outdir);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const rssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    const yaml = fs.readFileSync(path.join(outdir, 'mesh.k8s.yaml'), 'utf8');
    const objects = app.charts[0].node.findAll().filter(ApiObject.isApiObject).length;
    // what the app retains: the heap freed when it is dropped (robust against garbage of earlier runs)
    gc();
    const withApp = process.memoryUsage().heapUsed;
    app = undefined;
    gc();
    const heapMb = (withApp - process.memoryUsage().heapUsed) / 2 ** 20;
    return { seconds, cpuSeconds, heapMb, rssMb, objects, yaml };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Best of RUNS (time; single runs vary by ±30% with GC timing), alternating the order of the variants. */
function measure(n: number): Record<Variant, Sample> {
  const best: Partial<Record<Variant, Sample>> = {};
  for (let r = 0; r < RUNS; r++) {
    const variants: Variant[] = ['raw cdk8s', 'cdk8s-mesh', 'cdk8s-mesh, analysis off'];
    const order = r % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      const s = once(v, n);
      const prev = best[v];
      best[v] = {
        seconds: Math.min(prev?.seconds ?? Infinity, s.seconds),
        cpuSeconds: Math.min(prev?.cpuSeconds ?? Infinity, s.cpuSeconds),
        heapMb: Math.min(prev?.heapMb ?? Infinity, s.heapMb),
        rssMb: Math.min(prev?.rssMb ?? Infinity, s.rssMb),
        objects: s.objects,
        yaml: s.yaml,
      };
    }
  }
  return best as Record<Variant, Sample>;
}

function main(): void {
  once('cdk8s-mesh', 50); // warm up the JIT and module caches
  once('raw cdk8s', 50);
  let last = '';
  const rows: string[] = [];
  for (const n of SIZES) {
    const r = measure(n);
    const mesh = r['cdk8s-mesh'];
    const raw = r['raw cdk8s'];
    const off = r['cdk8s-mesh, analysis off'];
    if (mesh.objects !== raw.objects || mesh.objects !== n * (2 + 2 + VERSIONS.length)) {
      throw new Error(`bench: object counts differ for N=${n}: cdk8s-mesh ${mesh.objects}, raw cdk8s ${raw.objects}`);
    }
    if (mesh.yaml !== raw.yaml || off.yaml !== raw.yaml) throw new Error(`bench: the two variants synthesized different YAML for N=${n}`);
    const ratio = mesh.seconds / raw.seconds;
    const memRatio = mesh.heapMb / raw.heapMb;
    rows.push(`bench: ${n} services (${mesh.objects} objects, identical YAML): cdk8s-mesh ${mesh.seconds.toFixed(2)} s / heap ${mesh.heapMb.toFixed(1)} MB / rss +${mesh.rssMb.toFixed(0)} MB, `
      + `raw cdk8s ${raw.seconds.toFixed(2)} s / heap ${raw.heapMb.toFixed(1)} MB / rss +${raw.rssMb.toFixed(0)} MB, ratio ${ratio.toFixed(2)} (cpu ${mesh.cpuSeconds.toFixed(2)} s / ${raw.cpuSeconds.toFixed(2)} s = ${(mesh.cpuSeconds / raw.cpuSeconds).toFixed(2)}), `
      + `memory ratio ${memRatio.toFixed(2)}, ${(mesh.seconds / n * 1000).toFixed(2)} ms/service`);
    console.log(rows[rows.length - 1]);
    console.log(`bench: ${n} services, analysis off: cdk8s-mesh ${off.seconds.toFixed(2)} s (cpu ${off.cpuSeconds.toFixed(2)} s) / heap ${off.heapMb.toFixed(1)} MB, `
      + `ratio ${(off.seconds / raw.seconds).toFixed(2)} (cpu ${(off.cpuSeconds / raw.cpuSeconds).toFixed(2)}); the synth-time analysis costs ${(mesh.seconds - off.seconds).toFixed(2)} s`);
    last = `bench: ${n} services: cdk8s-mesh ${mesh.seconds.toFixed(2)} s, raw cdk8s ${raw.seconds.toFixed(2)} s, ratio ${ratio.toFixed(2)}, memory ratio ${memRatio.toFixed(2)}`;
  }
  console.log(last);
}

main();
