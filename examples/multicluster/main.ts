// Istio's bookinfo over two clusters on two networks (Istio multi-primary): productpage and details
// run in `east`, ratings in `west`, and reviews in both. East's callers send 90% of reviews' traffic
// to east's endpoints and 10% to west's (per-cluster subsets on topology.istio.io/cluster), and each
// cluster fails reviews over to the other region (locality failover with outlier detection).
// East's reviews call ratings across the networks through west's east-west gateway (east gets the
// ratings stub). Each cluster's namespace denies by default (STRICT mTLS, allow-nothing): the allow
// rules admit the call graph within a cluster, and the global services' remoteCallers admit the
// callers of the other cluster by principal (the east-west gateway passes their mTLS through, so
// the server sees the caller's own identity). `npm run synth` writes dist/multicluster/<cluster>/, one folder per cluster with its
// charts and its istio-install.values; `cdk8s synth` runs this file.
import { App, Duration } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { LocalityLoadBalancing } from '../../src/resilience/locality-load-balancing';
import { OutlierDetection } from '../../src/resilience/outlier-detection';
import { Caller } from '../../src/security/caller';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { SidecarInjection } from '../../src/service/service-workloads';
import { addWorkloads, BOOKINFO_PORT, BookinfoServices, BookinfoServiceName, declareServices, DEPLOYED_VERSIONS } from '../bookinfo/bookinfo';
import { bookinfoChart } from '../bookinfo/charts';

/** The namespace bookinfo runs in, in both clusters. */
export const NAMESPACE = 'bookinfo';

/** The bookinfo services each cluster runs. */
const PLACEMENT: Record<string, BookinfoServiceName[]> = {
  east: ['productpage', 'details', 'reviews'],
  west: ['reviews', 'ratings'],
};

/** The header that pins a request to reviews in one cluster (for debugging a cluster). */
export const PIN_HEADER = 'x-bookinfo-cluster';

/**
 * One cluster's share of bookinfo, in chart `bookinfo`: its namespace (sidecars injected, STRICT
 * mTLS, deny by default), the services it runs, and the calls between them. Kubernetes
 * NetworkPolicies are left out: they cannot name a pod of another cluster, nor the other network's
 * east-west gateway address, so a default-deny one would cut the cross-cluster calls.
 */
function addBookinfo(app: App, services: BookinfoServiceName[]): BookinfoServices {
  const chart = bookinfoChart(app, 'bookinfo', Mesh.ISTIO, NAMESPACE);
  new StrictMtlsNamespace(chart, NAMESPACE, { networkPolicies: false });
  const versions = Object.fromEntries(services.map((s) => [s, DEPLOYED_VERSIONS[s]]));
  const declared = declareServices(chart, versions);
  addWorkloads(chart, declared, { sidecarInjection: SidecarInjection.ISTIO });
  const { productpage, details, reviews, ratings } = declared;
  const authz = new ServiceAuthorization(chart, 'authorization', { networkPolicies: false });
  if (productpage) authz.allow({ from: [Caller.ingressGateway()], to: productpage });
  for (const callee of [details, reviews]) if (productpage && callee) authz.allow({ from: [productpage], to: callee });
  if (reviews && ratings) authz.allow({ from: [reviews], to: ratings });
  return declared;
}

/** The two-cluster mesh, each cluster's App writing to `<outdir>/<cluster>/`; `synth()` writes them. */
export function createMesh(outdir: string): MultiClusterMesh {
  const mesh = new MultiClusterMesh({
    outdir,
    clusters: [
      new MeshCluster({ name: 'east', network: 'net-east', meshId: 'bookinfo-mesh', region: 'us-east1' }),
      new MeshCluster({ name: 'west', network: 'net-west', meshId: 'bookinfo-mesh', region: 'us-west1' }),
    ],
  });
  const services = Object.fromEntries(Object.entries(PLACEMENT).map(([cluster, names]) => [cluster, addBookinfo(mesh.app(cluster), names)]));
  // East's callers of reviews: 90% to east's endpoints, 10% to west's; a header pins a request to west.
  const reviews = services.east.reviews!;
  for (const cluster of ['east', 'west']) reviews.addClusterSubset(cluster);
  reviews.addRoute({ name: 'pin-west', matches: [Match.header(PIN_HEADER).exact('west')], to: RouteTo.cluster('west') });
  reviews.setDefaultRoute(RouteTo.clusterSplit({ east: 90, west: 10 }));
  // reviews runs in both clusters and fails over to the other region when its local endpoints are
  // ejected; maxEjectionPercent 100 lets every local endpoint be ejected (Envoy's default 10% would
  // keep priority 0 above the 71% healthy at which it spills traffic to the next priority).
  mesh.addGlobalService({
    name: 'reviews', namespace: NAMESPACE, ports: [{ name: 'http', port: BOOKINFO_PORT }], runsIn: ['east', 'west'],
    failover: LocalityLoadBalancing.failover({ from: 'us-east1', to: 'us-west1' }, { from: 'us-west1', to: 'us-east1' }),
    outlierDetection: new OutlierDetection({ consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 100 }),
    // west's reviews serve east's productpage (10% of its calls, and failover)
    remoteCallers: [{ cluster: 'east', serviceAccount: 'bookinfo-productpage' }],
  });
  // East's reviews call ratings (west only): east gets a stub Service so the name resolves.
  mesh.addGlobalService({
    name: 'ratings', namespace: NAMESPACE, ports: [{ name: 'http', port: BOOKINFO_PORT }], runsIn: ['west'], calledFrom: ['east', 'west'],
    remoteCallers: [{ cluster: 'east', serviceAccount: 'bookinfo-reviews' }],
  });
  return mesh;
}

if (require.main === module) {
  createMesh(process.env.CDK8S_OUTDIR ?? 'dist/multicluster').synth();
}
