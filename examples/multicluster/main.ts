// Istio's bookinfo over two clusters on two networks (Istio multi-primary): productpage and details
// run in `east`, reviews and ratings in `west`, and productpage calls reviews across clusters through
// west's east-west gateway. `npm run synth` writes dist/multicluster/<cluster>/, one folder per
// cluster with its charts and its istio-install.values; `cdk8s synth` runs this file.
import { ApiObject, App, JsonPatch } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { SidecarInjection } from '../../src/service/service-workloads';
import { addWorkloads, BOOKINFO_PORT, BookinfoServiceName, declareServices, DEPLOYED_VERSIONS } from '../bookinfo/bookinfo';
import { bookinfoChart } from '../bookinfo/charts';

/** The namespace bookinfo runs in, in both clusters. */
export const NAMESPACE = 'bookinfo';

/** The bookinfo services each cluster runs. */
const PLACEMENT: Record<string, BookinfoServiceName[]> = {
  east: ['productpage', 'details'],
  west: ['reviews', 'ratings'],
};

/** One cluster's share of bookinfo: its namespace (sidecars injected) and the services it runs, in chart `bookinfo`. */
function addBookinfo(app: App, services: BookinfoServiceName[]): void {
  const chart = bookinfoChart(app, 'bookinfo', Mesh.ISTIO, NAMESPACE);
  const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled' } } });
  namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped: not in the chart's namespace
  const versions = Object.fromEntries(services.map((s) => [s, DEPLOYED_VERSIONS[s]]));
  addWorkloads(chart, declareServices(chart, versions), { sidecarInjection: SidecarInjection.ISTIO });
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
  for (const [cluster, services] of Object.entries(PLACEMENT)) addBookinfo(mesh.app(cluster), services);
  // productpage (east) calls reviews (west): east gets a stub Service so the name resolves.
  mesh.addGlobalService({ name: 'reviews', namespace: NAMESPACE, ports: [{ name: 'http', port: BOOKINFO_PORT }], runsIn: ['west'], calledFrom: ['east'] });
  return mesh;
}

if (require.main === module) {
  createMesh(process.env.CDK8S_OUTDIR ?? 'dist/multicluster').synth();
}
