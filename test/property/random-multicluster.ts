import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration } from 'cdk8s';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  ArgoCdDestination, ClusterAffinity, ClusterRole, Environment, GitOpsEnvironments, LocalityLoadBalancing, Match, Mesh, MeshCluster, MeshService,
  MultiClusterMesh, OutlierDetection, RouteTo, ServicePort,
} from '../../src';

// Random multi-cluster apps: two or three clusters on one or two networks and regions (Istio:
// some of them remotes; Cilium: cluster IDs), global services with random runsIn/calledFrom,
// failover, outlier detection, weights, affinity and remote callers, per-cluster subsets on the
// MeshServices (Istio), on Istio, Linkerd or Cilium; sometimes as the environments dev and prod of
// GitOpsEnvironments with their Argo CD objects. Half of them carry one bad value.

export const MC_MESHES = [Mesh.ISTIO, Mesh.LINKERD, Mesh.CILIUM];
const CLUSTERS = ['east', 'west', 'north'];
const REGIONS = ['us-east1', 'us-west1'];
const SERVICES = ['reviews', 'ratings'];
const NAMESPACE = 'bookinfo';

/** One bad value each; each must end in a MeshConfigError. */
export const MC_BAD = [
  'weights not summing to 100', 'runsIn an unknown cluster', 'two mesh IDs', 'cluster ID 0', 'cluster subset where it does not run',
  'failover to a region no cluster has', 'global service declared twice', 'remote caller from an unknown cluster',
  'Istio configuration in a remote cluster\'s App',
];

const mask = (n: number) => fc.array(fc.boolean(), { minLength: n, maxLength: n });
export const mcPlans = fc.record({
  mesh: fc.constantFrom(...MC_MESHES),
  clusters: fc.array(fc.record({ network: fc.integer({ min: 0, max: 1 }), region: fc.integer({ min: 0, max: 1 }), remote: fc.boolean() }), { minLength: 2, maxLength: 3 }),
  services: fc.array(fc.record({
    runsIn: mask(3), calledFrom: mask(3),
    failover: fc.constantFrom('none', 'regions', 'priority'),
    outlier: fc.boolean(),
    weights: fc.option(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }), { nil: undefined }),
    affinity: fc.option(fc.constantFrom(...Object.values(ClusterAffinity)), { nil: undefined }),
    remoteCallers: fc.boolean(),
    clusterSubsets: fc.boolean(),
  }), { minLength: 1, maxLength: 2 }),
  gitops: fc.boolean(),
  bad: fc.option(fc.constantFrom(...MC_BAD), { nil: undefined, freq: 2 }),
}).map((p) => (p.bad === 'cluster ID 0' ? { ...p, mesh: Mesh.CILIUM } : p)) // cluster IDs are Cilium's (ignored elsewhere)
  // remotes are Istio's: the second cluster is made a remote of the first
  .map((p) => (p.bad === 'Istio configuration in a remote cluster\'s App' ? { ...p, mesh: Mesh.ISTIO, clusters: p.clusters.map((c, i) => (i === 1 ? { ...c, remote: true } : c)) } : p));
export type McPlan = typeof mcPlans extends fc.Arbitrary<infer T> ? T : never;

/** Whole percentages over the clusters a service runs in, summing to 100 (the last one takes the rest). */
function percentages(raw: number[], clusters: string[]): Array<{ cluster: string; weight: number }> {
  const total = raw.slice(0, clusters.length).reduce((a, b) => a + b, 0) || 1;
  const ws = clusters.map((c, i) => ({ cluster: c, weight: Math.floor((raw[i] * 100) / total) }));
  ws[ws.length - 1] = { cluster: ws[ws.length - 1].cluster, weight: 100 - ws.slice(0, -1).reduce((a, w) => a + w.weight, 0) };
  return ws;
}

/** Builds the mesh a plan describes, writing to `outdir`; throws what the library throws. */
export function buildMesh(p: McPlan, outdir: string): MultiClusterMesh {
  const names = CLUSTERS.slice(0, p.clusters.length);
  const clusters = p.clusters.map((c, i) => new MeshCluster({
    name: names[i], network: `net${c.network}`, meshId: p.bad === 'two mesh IDs' && i === 1 ? 'other' : 'mesh1', region: REGIONS[c.region],
    // Istio: a cluster after the first may be a remote of the first; Cilium: IDs 1..n
    role: p.mesh === Mesh.ISTIO && i > 0 && c.remote ? ClusterRole.REMOTE : undefined,
    primary: p.mesh === Mesh.ISTIO && i > 0 && c.remote ? names[0] : undefined,
    clusterId: p.mesh === Mesh.CILIUM ? (p.bad === 'cluster ID 0' && i === 0 ? 0 : i + 1) : undefined,
  }));
  const mesh = new MultiClusterMesh({ mesh: p.mesh, clusters, outdir });
  const charts = new Map<string, Chart>();
  const chartOf = (c: string) => charts.get(c) ?? charts.set(c, new Chart(mesh.app(c), 'bookinfo', { namespace: NAMESPACE })).get(c)!;
  // refused at mesh.synth(): a DestinationRule (the subsets of details) where istiod never reads it
  if (p.bad === 'Istio configuration in a remote cluster\'s App') new MeshService(chartOf(names[1]), 'details', { ports: [ServicePort.http(9080)], versions: ['v1'] });

  p.services.forEach((s, i) => {
    const name = SERVICES[i];
    let runsIn = names.filter((_, j) => s.runsIn[j]);
    if (runsIn.length === 0) runsIn = [names[i % names.length]];
    const calledFrom = names.filter((n, j) => s.calledFrom[j] && !runsIn.includes(n));
    // an Istio remote's App holds the workloads' Service only: its proxies take subsets and routes from the primary's App (refused in the remote's)
    const remote = (c: string) => clusters.find((m) => m.name === c)!.role === ClusterRole.REMOTE;
    const services = runsIn.map((c) => new MeshService(chartOf(c), name, { ports: [ServicePort.http(9080)], versions: remote(c) ? undefined : ['v1'], renderServices: true }));
    if (s.clusterSubsets && p.mesh === Mesh.ISTIO) {
      // each cluster that runs it can pin a request to any of them by header
      for (const svc of services.filter((_, j) => !remote(runsIn[j]))) {
        for (const c of runsIn) svc.addClusterSubset(c);
        runsIn.forEach((c) => svc.addRoute({ name: `pin-${c}`, matches: [Match.header('x-cluster').exact(c)], to: RouteTo.cluster(c) }));
      }
    }
    // refused at mesh.synth() on Istio, at once on Linkerd and Cilium
    if (p.bad === 'cluster subset where it does not run') services[0].addClusterSubset(names.find((n) => !runsIn.includes(n)) ?? 'south');
    // failover and outlier detection are Istio's (refused elsewhere, tested in test/multicluster), between regions it runs in
    const regions = [...new Set(clusters.filter((c) => runsIn.includes(c.name)).map((c) => c.region!))];
    const istio = p.mesh === Mesh.ISTIO;
    const failover = p.bad === 'failover to a region no cluster has' ? LocalityLoadBalancing.failover({ from: REGIONS[0], to: 'eu-west1' })
      : !istio ? undefined
        : s.failover === 'regions' && regions.length > 1 ? LocalityLoadBalancing.failover({ from: regions[0], to: regions[1] }, { from: regions[1], to: regions[0] })
          : s.failover === 'priority' ? LocalityLoadBalancing.priority('topology.istio.io/network', 'topology.istio.io/cluster') : undefined;
    const weights = p.bad === 'weights not summing to 100' ? [{ cluster: runsIn[0], weight: 50 }]
      : s.weights && runsIn.length > 1 && calledFrom.length ? percentages(s.weights, runsIn) : undefined;
    const props = {
      name, namespace: NAMESPACE, ports: [{ name: 'http', port: 9080 }],
      runsIn: p.bad === 'runsIn an unknown cluster' ? [...runsIn, 'south'] : runsIn,
      calledFrom, failover,
      outlierDetection: failover && (s.outlier || p.bad !== 'failover to a region no cluster has') ? new OutlierDetection({ consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) }) : undefined,
      // affinity is Cilium's
      weights, affinity: p.mesh === Mesh.CILIUM ? s.affinity : undefined,
      remoteCallers: p.bad === 'remote caller from an unknown cluster' ? [{ cluster: 'south', serviceAccount: 'productpage' }]
        : s.remoteCallers && calledFrom.length ? [{ cluster: calledFrom[0], serviceAccount: 'productpage' }] : undefined,
    };
    mesh.addGlobalService(props);
    if (p.bad === 'global service declared twice') mesh.addGlobalService(props);
  });
  return mesh;
}

/** The objects of every folder under `dir` with manifests, by folder (relative to `dir`). */
export function readFolders(dir: string): Map<string, any[]> {
  const out = new Map<string, any[]>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.yaml')) {
        const rel = path.relative(dir, d) || '.';
        out.set(rel, [...(out.get(rel) ?? []), ...parseAllDocuments(fs.readFileSync(full, 'utf8')).map((x) => x.toJS()).filter(Boolean)]);
      }
    }
  };
  walk(dir);
  return out;
}

function devClusters(p: McPlan): { [cluster: string]: ArgoCdDestination } {
  return Object.fromEntries(CLUSTERS.slice(0, p.clusters.length).map((c) => [c, ArgoCdDestination.toServer(`https://dev-${c}.example.com:6443`)]));
}

/** Builds and synthesizes the plan into `outdir` (as GitOps environments when it says so); throws what the library throws. */
export function synthPlan(p: McPlan, outdir: string): void {
  if (!p.gitops) {
    buildMesh(p, outdir).synth();
    return;
  }
  new GitOpsEnvironments({
    name: 'bookinfo', outdir, argoCd: { repoUrl: 'https://github.com/acme/deploy.git', path: 'bookinfo' },
    // dev's clusters are other clusters than prod's (two Applications never apply one object to one cluster)
    environments: [new Environment({ name: 'dev', clusterDestinations: devClusters(p) }), new Environment({ name: 'prod' })],
    meshBuilder: { buildMesh: (_env: Environment, dir: string) => buildMesh(p, dir) },
  }).synth();
}
