// bookinfo over two clusters on two networks on Linkerd, the cross-cluster call of
// examples/multicluster (Istio) in Linkerd's terms: productpage and details run in `east`, reviews
// and ratings in `west`, and productpage calls reviews across clusters. West exports reviews
// through its linkerd-gateway (mirror.linkerd.io/exported: "true"); east, which holds the Link to
// west, gets the stub Service reviews and an HTTPRoute sending it to the mirror reviews-west.
// `npm run synth` writes dist/multicluster-linkerd/<cluster>/ with each cluster's
// linkerd-multicluster.values; `cdk8s synth` runs this file.
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

/** One cluster's share of bookinfo in chart `bookinfo`: its namespace (Linkerd proxies injected) and the services it runs. */
function addBookinfo(app: App, services: BookinfoServiceName[]): void {
  const chart = bookinfoChart(app, 'bookinfo', Mesh.LINKERD, NAMESPACE);
  new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, annotations: { 'linkerd.io/inject': 'enabled' } } })
    .addJsonPatch(JsonPatch.remove('/metadata/namespace')); // cluster-scoped: not in the chart's namespace
  const declared = declareServices(chart, Object.fromEntries(services.map((s) => [s, DEPLOYED_VERSIONS[s]])));
  addWorkloads(chart, declared, { sidecarInjection: SidecarInjection.LINKERD });
}

/** The two-cluster Linkerd mesh, each cluster's App writing to `<outdir>/<cluster>/`; `synth()` writes them. */
export function createMesh(outdir: string): MultiClusterMesh {
  const mesh = new MultiClusterMesh({
    outdir,
    mesh: Mesh.LINKERD,
    clusters: [
      new MeshCluster({ name: 'east', network: 'net-east', meshId: 'bookinfo-mesh' }),
      new MeshCluster({ name: 'west', network: 'net-west', meshId: 'bookinfo-mesh' }),
    ],
  });
  for (const [cluster, services] of Object.entries(PLACEMENT)) addBookinfo(mesh.app(cluster), services);
  mesh.addGlobalService({ name: 'reviews', namespace: NAMESPACE, ports: [{ name: 'http', port: BOOKINFO_PORT }], runsIn: ['west'], calledFrom: ['east'] });
  return mesh;
}

if (require.main === module) {
  createMesh(process.env.CDK8S_OUTDIR ?? 'dist/multicluster-linkerd').synth();
}
