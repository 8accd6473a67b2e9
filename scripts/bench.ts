// `npm run bench`: the three measurements of issue 12, in one run, each against its target:
// (a) the reference app (bookinfo) through `cdk8s synth` against the same app run with `node`,
// (b) a 10-service user app through the README's fast path (scripts/bench-processes.ts), and
// (c) a mesh of N services synthesized through cdk8s-mesh against the same objects through raw
// cdk8s ApiObjects, in one process, wall time and memory (below).
//
// Honest by construction: after warm-up runs at the measured size, each round runs every variant
// once, in alternating order, and the ratio is taken per round (both sides saw the same machine
// load); the reported ratio is the median of the rounds' ratios. Retained memory is the heap used
// after a forced GC with the app still referenced, minus the same figure before the app was built,
// median of the rounds.
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
import { cliVsNode, median, userFastPath, USER_APP_SERVICES } from './bench-processes';

const SIZES = (process.env.BENCH_SIZES ?? '500,2000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARMUP_ROUNDS = 2;
/** The target for the library against raw cdk8s at 500 services (issue 12). */
const TARGET_RATIO = 1.3;
/** The target for `cdk8s synth` (warm) against the same app precompiled and run with `node`. */
const TARGET_CLI_RATIO = 1.5;
/** The target for a 10-service user app through the README's fast path, wall seconds. */
const TARGET_FAST_PATH_SECONDS = 2;
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
  /** Heap the synthesized app retains: heapUsed after GC with the app referenced minus before it was built, MB. */
  readonly heapMb: number;
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
    const baseline = process.memoryUsage().heapUsed;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const app = synthesize(variant, n, outdir);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    gc();
    const heapMb = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;
    const yaml = fs.readFileSync(path.join(outdir, 'mesh.k8s.yaml'), 'utf8');
    const objects = app.charts[0].node.findAll().filter(ApiObject.isApiObject).length;
    return { seconds, cpuSeconds, heapMb, objects, yaml };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A memory figure, or why there is none (a retained heap at or below zero means GC noise won). */
function mb(value: number): string {
  return value > 0 ? `${value.toFixed(1)} MB` : 'n/a (below GC noise)';
}

const VARIANTS: Variant[] = ['raw cdk8s', 'cdk8s-mesh', 'cdk8s-mesh, analysis off'];

interface Rounds {
  readonly samples: Record<Variant, Sample[]>;
}

/** WARMUP_ROUNDS discarded, then ROUNDS rounds of every variant, the order alternating per round. */
function measure(n: number): Rounds {
  const samples = { 'raw cdk8s': [], 'cdk8s-mesh': [], 'cdk8s-mesh, analysis off': [] } as Record<Variant, Sample[]>;
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const v of order) {
      const s = once(v, n);
      if (r >= WARMUP_ROUNDS) samples[v].push(s);
    }
  }
  return { samples };
}

/** Median over rounds of the per-round ratio of `a` to `b`. */
function pairedRatio(a: Sample[], b: Sample[], key: 'seconds' | 'cpuSeconds'): number {
  return median(a.map((s, i) => s[key] / b[i][key]));
}

/** Median per-round ratios of the library to raw cdk8s, by wall and by CPU time. */
interface LibraryRatios {
  readonly ratio: number;
  readonly cpuRatio: number;
}

function libraryVsRaw(n: number): LibraryRatios {
  const { samples } = measure(n);
  const mesh = samples['cdk8s-mesh'];
  const raw = samples['raw cdk8s'];
  const off = samples['cdk8s-mesh, analysis off'];
  const objects = mesh[0].objects;
  if (objects !== raw[0].objects || objects !== n * (2 + 2 + VERSIONS.length)) {
    throw new Error(`bench: object counts differ for N=${n}: cdk8s-mesh ${objects}, raw cdk8s ${raw[0].objects}`);
  }
  if (mesh[0].yaml !== raw[0].yaml || off[0].yaml !== raw[0].yaml) throw new Error(`bench: the variants synthesized different YAML for N=${n}`);
  const ratio = pairedRatio(mesh, raw, 'seconds');
  const cpuRatio = pairedRatio(mesh, raw, 'cpuSeconds');
  const secs = (xs: Sample[]): string => `${median(xs.map((x) => x.seconds)).toFixed(2)} s`;
  const heap = (xs: Sample[]): number => median(xs.map((x) => x.heapMb));
  const memRatio = heap(mesh) > 0 && heap(raw) > 0 ? (heap(mesh) / heap(raw)).toFixed(2) : 'n/a';
  console.log(`bench: ${n} services (${objects} objects, identical YAML), median of ${ROUNDS} paired rounds after ${WARMUP_ROUNDS} warm-up rounds:`);
  console.log(`  cdk8s-mesh ${secs(mesh)}, retained heap ${mb(heap(mesh))}; raw cdk8s ${secs(raw)}, retained heap ${mb(heap(raw))}`);
  console.log(`  ratio ${ratio.toFixed(2)} (per-round ratios ${mesh.map((s, i) => (s.seconds / raw[i].seconds).toFixed(2)).join(' ')}; cpu ratio ${cpuRatio.toFixed(2)}), memory ratio ${memRatio}`);
  console.log(`  analysis off: ${secs(off)}, ratio ${pairedRatio(off, raw, 'seconds').toFixed(2)} (cpu ratio ${pairedRatio(off, raw, 'cpuSeconds').toFixed(2)}): `
    + `the synth-time analysis costs ${(median(mesh.map((s, i) => s.cpuSeconds - off[i].cpuSeconds))).toFixed(2)} s of CPU`);
  return { ratio, cpuRatio };
}

function verdict(what: string, value: number, target: number, unit = ''): string {
  return `${what} ${value.toFixed(2)}${unit} (target <= ${target}${unit}: ${value <= target ? 'met' : `missed by ${((value / target - 1) * 100).toFixed(0)}%`})`;
}

function main(): void {
  const summary: string[] = [];
  if (process.env.BENCH_CLI !== 'off') {
    const cli = cliVsNode();
    summary.push(`${verdict('(a) cdk8s synth (warm) / node, reference app', cli.ratio, TARGET_CLI_RATIO)}; CPU ratio ${cli.cpuRatio.toFixed(2)}; the CLI's own start-up alone sets its floor at ${cli.cliFloor.toFixed(2)}`);
    const fast = userFastPath();
    summary.push(`${verdict(`(b) ${USER_APP_SERVICES}-service user app, README fast path, cdk8s synth`, fast.seconds, TARGET_FAST_PATH_SECONDS, ' s')}; CPU ${fast.cpuSeconds.toFixed(2)} s`);
  }
  for (const n of SIZES) {
    const { ratio, cpuRatio } = libraryVsRaw(n);
    const what = `library / raw cdk8s at ${n} services`;
    summary.push(`${n === 500 ? verdict(`(c) ${what}`, ratio, TARGET_RATIO) : `${what} ${ratio.toFixed(2)}`}; CPU ratio ${cpuRatio.toFixed(2)}`);
  }
  for (const line of summary) console.log(`bench: ${line}`);
}

main();
