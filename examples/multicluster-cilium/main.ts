// The same bookinfo intent as examples/multicluster, on a Cilium ClusterMesh: productpage and
// details run in `east` (cluster ID 1), reviews and ratings in `west` (cluster ID 2), and
// productpage calls reviews across clusters, pod to pod. Each namespace is deny-by-default
// (StrictMtlsNamespace's NetworkPolicies); the local calls are allowed by ServiceAuthorization, the
// cross-cluster one by the global service's remoteCallers. `npm run synth` writes
// dist/multicluster-cilium/<cluster>/, one folder per cluster with its charts and its
// cilium-install.values; `cdk8s synth` runs this file.
import { App } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { addWorkloads, BOOKINFO_PORT, BookinfoServiceName, declareServices, DEPLOYED_VERSIONS } from '../bookinfo/bookinfo';
import { bookinfoChart } from '../bookinfo/charts';

/** The namespace bookinfo runs in, in both clusters. */
export const NAMESPACE = 'bookinfo';

/** The bookinfo services each cluster runs, and the calls within the cluster (caller, callee). */
const PLACEMENT: Record<string, { services: BookinfoServiceName[]; calls: Array<[BookinfoServiceName, BookinfoServiceName]> }> = {
  east: { services: ['productpage', 'details'], calls: [['productpage', 'details']] },
  west: { services: ['reviews', 'ratings'], calls: [['reviews', 'ratings']] },
};

/** One cluster's share of bookinfo in chart `bookinfo`: its deny-by-default namespace, its services and their local allow rules. */
function addBookinfo(app: App, placement: typeof PLACEMENT[string]): void {
  const chart = bookinfoChart(app, 'bookinfo', Mesh.CILIUM, NAMESPACE);
  new StrictMtlsNamespace(chart, NAMESPACE);
  const services = declareServices(chart, Object.fromEntries(placement.services.map((s) => [s, DEPLOYED_VERSIONS[s]])));
  addWorkloads(chart, services);
  const authz = new ServiceAuthorization(chart, 'authz');
  for (const [from, to] of placement.calls) authz.allow({ from: [services[from]!], to: services[to]! });
}

/** The two-cluster ClusterMesh, each cluster's App writing to `<outdir>/<cluster>/`; `synth()` writes them. */
export function createMesh(outdir: string): MultiClusterMesh {
  const mesh = new MultiClusterMesh({
    outdir,
    mesh: Mesh.CILIUM,
    clusters: [
      new MeshCluster({ name: 'east', network: 'net1', meshId: 'bookinfo-mesh', clusterId: 1 }),
      new MeshCluster({ name: 'west', network: 'net1', meshId: 'bookinfo-mesh', clusterId: 2 }),
    ],
  });
  for (const [cluster, placement] of Object.entries(PLACEMENT)) addBookinfo(mesh.app(cluster), placement);
  // productpage (east) calls reviews (west): west's reviews Service is annotated global, east gets
  // a global stub that shares nothing, and the policies admit productpage from east only.
  mesh.addGlobalService({
    name: 'reviews', namespace: NAMESPACE, ports: [{ name: 'http', port: BOOKINFO_PORT }], runsIn: ['west'], calledFrom: ['east'],
    remoteCallers: [{ cluster: 'east', serviceAccount: 'bookinfo-productpage' }],
  });
  return mesh;
}

if (require.main === module) {
  createMesh(process.env.CDK8S_OUTDIR ?? 'dist/multicluster-cilium').synth();
}
