// Every example workload must start as written. The facts below were audited against each image's
// upstream source (Dockerfile, entrypoint, listen flags) and are what the examples are checked
// against: the ports the container listens on, the directories it writes (which need a volume on a
// read-only root file system), the UID it needs, the health endpoints, and the args it needs.
import { App } from 'cdk8s';
import { createApp as bookinfoApp } from '../../examples/bookinfo/main';
import { createApp as ingressEgressApp } from '../../examples/ingress-egress/main';
import { createApp as observabilityApp } from '../../examples/observability/main';
import { createApp as resilienceApp } from '../../examples/resilience/main';
import { createApp as securityApp } from '../../examples/security/main';
import { createApp as trafficApp } from '../../examples/traffic/main';
import { ExampleApp } from '../support/example-app';

interface ImageFacts {
  /** Where the facts come from. */
  readonly source: string;
  /** The ports it listens on, given the container's env and args. */
  readonly listens: (env: Record<string, string>, args: string[]) => number[];
  /** Directories it writes to at run time. */
  readonly writes: readonly string[];
  /** Paths that answer 2xx when healthy. */
  readonly health: readonly string[];
  /** The UID it must run as (files it writes are owned by it), when not any non-root UID. */
  readonly uid?: number;
  /** Environment it needs, as upstream sets it. */
  readonly env?: Record<string, string>;
}

const BOOKINFO: ImageFacts = {
  source: 'istio/istio samples/bookinfo/src/<service>/Dockerfile (EXPOSE 9080, USER 1000) and platform/kube/bookinfo.yaml (emptyDir /tmp); /health in productpage.py, details.rb, ratings.js',
  listens: () => [9080], writes: ['/tmp'], health: ['/health'],
};
const FACTS: Record<string, ImageFacts> = {
  'docker.io/istio/examples-bookinfo-productpage-v1': BOOKINFO,
  'docker.io/istio/examples-bookinfo-details-v1': BOOKINFO,
  'docker.io/istio/examples-bookinfo-details-v2': BOOKINFO,
  'docker.io/istio/examples-bookinfo-ratings-v1': BOOKINFO,
  ...Object.fromEntries(['v1', 'v2', 'v3'].map((v) => [`docker.io/istio/examples-bookinfo-reviews-${v}`, {
    source: 'istio/istio samples/bookinfo/src/reviews/Dockerfile: Open Liberty (/opt/ol/wlp, output in /opt/ol/wlp/output, USER 1001), server.xml httpPort 9080; bookinfo.yaml sets LOG_DIR=/tmp/logs; /health in LibertyRestEndpoint',
    listens: () => [9080], writes: ['/tmp', '/opt/ol/wlp/output'], health: ['/health'], uid: 1001, env: { LOG_DIR: '/tmp/logs' },
  }])),
  'ghcr.io/stefanprodan/podinfo': {
    source: 'stefanprodan/podinfo cmd/podinfo/main.go: --port 9898, --port-metrics 0 and --grpc-port 0 (off), read from PODINFO_* variables; /readyz and /healthz; writes nothing',
    listens: (env) => [Number(env.PODINFO_PORT ?? 9898), Number(env.PODINFO_PORT_METRICS ?? 0), Number(env.PODINFO_GRPC_PORT ?? 0)].filter((p) => p > 0),
    writes: [], health: ['/readyz', '/healthz'],
  },
  'docker.io/mccutchen/go-httpbin': {
    source: 'mccutchen/go-httpbin Dockerfile (EXPOSE 8080) and httpbin/cmd/cmd.go (defaultListenPort 8080, PORT); Istio samples/httpbin/httpbin.yaml',
    listens: (env) => [Number(env.PORT ?? 8080)], writes: [], health: ['/status/200', '/get'],
  },
  'docker.io/nginxinc/nginx-unprivileged': {
    source: 'nginxinc/docker-nginx-unprivileged: listens on 8080, pid and temp paths in /tmp',
    listens: () => [8080], writes: ['/tmp'], health: ['/'],
  },
  'docker.io/buoyantio/booksapp': {
    source: 'BuoyantIO/booksapp Dockerfile (ENTRYPOINT bundle exec rake) and Rakefile/booksapp.yml: args prod:webapp|authors|books on 7000|7001|7002, DATABASE_URL sqlite3:db/db.sqlite3, readiness /ping',
    listens: (_env, args) => ({ 'prod:webapp': [7000], 'prod:authors': [7001], 'prod:books': [7002] } as Record<string, number[]>)[args.join(' ')] ?? [],
    writes: [], health: ['/ping'], env: { DATABASE_URL: 'sqlite3:db/db.sqlite3' },
  },
  'docker.io/kennethreitz/httpbin': {
    source: 'kennethreitz/httpbin Dockerfile: gunicorn -b 0.0.0.0:80 as root (kept to show why it is not used)',
    listens: () => [80], writes: [], health: ['/status/200'], uid: 0,
  },
  'jaegertracing/jaeger': {
    source: 'jaegertracing/jaeger v2 all-in-one: OTLP 4317/4318, Zipkin 9411, UI 16686, health-check extension 13133 (/status); USER 10001; /tmp is a volume',
    listens: () => [4317, 4318, 9411, 16686, 13133], writes: ['/tmp'], health: ['/status'], uid: 10001,
  },
};

const APPS: Array<[string, (outdir: string) => App]> = [
  ['bookinfo', bookinfoApp], ['ingress-egress', ingressEgressApp], ['observability', observabilityApp],
  ['resilience', resilienceApp], ['security', securityApp], ['traffic', trafficApp],
];

/** Why a container of an example would not start or never become ready, per the audited facts. */
function problems(pod: any, c: any): string[] {
  const repo = c.image.replace(/[:@][^/]*$/, '');
  const facts = FACTS[repo];
  if (!facts) return [`image ${c.image} is not audited: add its facts from upstream`];
  const out: string[] = [];
  const env = Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
  const listens = facts.listens(env, c.args ?? []);
  for (const p of c.ports ?? []) if (!listens.includes(p.containerPort)) out.push(`declares port ${p.containerPort}, but ${repo} listens on ${listens.join(', ') || 'nothing'}`);
  if (!c.readinessProbe) out.push('has no readiness probe');
  for (const [kind, probe] of [['readiness', c.readinessProbe], ['startup', c.startupProbe], ['liveness', c.livenessProbe]]) {
    if (!probe) continue;
    const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
    if (!listens.includes(port)) out.push(`${kind} probe on port ${port}, where nothing listens`);
    if (probe.httpGet && !facts.health.includes(probe.httpGet.path)) out.push(`${kind} probe on ${probe.httpGet.path}, not a health path of ${repo} (${facts.health.join(', ')})`);
  }
  const mounts = new Set((c.volumeMounts ?? []).map((m: any) => m.mountPath));
  if (c.securityContext?.readOnlyRootFilesystem) {
    for (const dir of facts.writes) if (!mounts.has(dir)) out.push(`writes ${dir}, which is read-only (no volume)`);
  }
  const uid = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  if (facts.uid !== undefined && uid !== facts.uid) out.push(`runs as UID ${uid}, but ${repo} needs UID ${facts.uid}`);
  for (const [k, v] of Object.entries(facts.env ?? {})) if (env[k] !== v) out.push(`needs env ${k}=${v}, got ${env[k] ?? 'nothing'}`);
  return out;
}

describe('example workloads start as written (audited against upstream)', () => {
  test.each(APPS)('%s', (name, create) => {
    const app = new ExampleApp(name, create);
    const found: string[] = [];
    let containers = 0;
    for (const [chart, objects] of app.charts) {
      for (const d of objects.filter((o) => o.kind === 'Deployment')) {
        const pod = d.spec.template.spec;
        for (const c of pod.containers) {
          containers++;
          found.push(...problems(pod, c).map((p) => `${chart}: Deployment ${d.metadata.name}, container ${c.name}: ${p}`));
        }
      }
    }
    expect(found).toEqual([]);
    expect(containers).toBeGreaterThan(0);
  });

  test('the audit catches what broke the examples before', () => {
    const pod = { securityContext: { runAsUser: 1000 } };
    const httpbin = { name: 'api', image: 'docker.io/kennethreitz/httpbin:latest', ports: [{ containerPort: 8080 }], startupProbe: { tcpSocket: { port: 8080 } } };
    expect(problems(pod, httpbin)).toEqual([
      'declares port 8080, but docker.io/kennethreitz/httpbin listens on 80',
      'has no readiness probe',
      'startup probe on port 8080, where nothing listens',
      'runs as UID 1000, but docker.io/kennethreitz/httpbin needs UID 0',
    ]);
    const reviews = {
      name: 'reviews', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3', ports: [{ containerPort: 9080 }], env: [{ name: 'LOG_DIR', value: '/tmp/logs' }],
      readinessProbe: { httpGet: { path: '/health', port: 9080 } }, startupProbe: { httpGet: { path: '/health', port: 9080 } },
      securityContext: { readOnlyRootFilesystem: true, runAsUser: 1001 }, volumeMounts: [{ mountPath: '/tmp' }],
    };
    expect(problems(pod, reviews)).toEqual(['writes /opt/ol/wlp/output, which is read-only (no volume)']);
  });
});
