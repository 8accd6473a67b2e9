// bookinfo over two clusters on two networks on Linkerd, the cross-cluster call of
// examples/multicluster (Istio) in Linkerd's terms: productpage and details run in `east`, reviews
// and ratings in `west`, and productpage calls reviews across clusters. West exports reviews
// through its linkerd-gateway (mirror.linkerd.io/exported: "true"); east, which holds the Link to
// west, gets the stub Service reviews and an HTTPRoute sending it to the mirror reviews-west.
// Each cluster's namespace denies by default (config.linkerd.io/default-inbound-policy: deny);
// the calls within a cluster are allowed by the caller's ServiceAccount identity, and
// productpage -> reviews is allowed in west from the identity its server sees: west's
// linkerd-gateway, which terminates the caller's mTLS and calls reviews as itself.
// `npm run synth` writes dist/multicluster-linkerd/<cluster>/ with each cluster's
// linkerd-multicluster.values; `cdk8s synth` runs this file.
import { App } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshCluster, MultiClusterMesh } from '../../src/multicluster';
import { Caller } from '../../src/security/caller';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { SidecarInjection } from '../../src/service/service-workloads';
import { addWorkloads, BOOKINFO_PORT, BookinfoServiceName, declareServices, DEPLOYED_VERSIONS } from '../bookinfo/bookinfo';
import { bookinfoChart } from '../bookinfo/charts';

/** The namespace bookinfo runs in, in both clusters. */
export const NAMESPACE = 'bookinfo';

/**
 * The identity west's reviews sees for productpage's calls from east: Linkerd's multicluster
 * gateway in west (`linkerd multicluster install` runs it as ServiceAccount linkerd-gateway in
 * namespace linkerd-multicluster), not productpage's.
 */
const GATEWAY_CALLER = Caller.serviceAccount('linkerd-gateway', { namespace: 'linkerd-multicluster' });

/**
 * The bookinfo services each cluster runs, the calls within the cluster (caller, callee), and the
 * services the cluster's linkerd-gateway may call for the linked clusters.
 */
const PLACEMENT: Record<string, { services: BookinfoServiceName[]; calls: Array<[BookinfoServiceName, BookinfoServiceName]>; viaGateway: BookinfoServiceName[] }> = {
  east: { services: ['productpage', 'details'], calls: [['productpage', 'details']], viaGateway: [] },
  west: { services: ['reviews', 'ratings'], calls: [['reviews', 'ratings']], viaGateway: ['reviews'] },
};

/**
 * One cluster's share of bookinfo in chart `bookinfo`: its namespace (Linkerd proxies injected,
 * deny by default), the services it runs and their allow rules. Kubernetes NetworkPolicies are
 * left out, as in the Istio example: east's default-deny egress cannot name west's gateway
 * address, so it would cut productpage -> reviews; Linkerd's identity-based deny does the work.
 */
function addBookinfo(app: App, placement: typeof PLACEMENT[string]): void {
  const chart = bookinfoChart(app, 'bookinfo', Mesh.LINKERD, NAMESPACE);
  new StrictMtlsNamespace(chart, NAMESPACE, { networkPolicies: false });
  const services = declareServices(chart, Object.fromEntries(placement.services.map((s) => [s, DEPLOYED_VERSIONS[s]])));
  addWorkloads(chart, services, { sidecarInjection: SidecarInjection.LINKERD });
  const authz = new ServiceAuthorization(chart, 'authorization', { networkPolicies: false });
  for (const [from, to] of placement.calls) authz.allow({ from: [services[from]!], to: services[to]! });
  // Admitting the gateway admits every meshed workload of every cluster linked to this one
  // through it: the gateway terminates their mTLS and calls the service as itself, so the
  // server sees one identity for all of them, and Linkerd has no narrower rule (remoteCallers
  // is refused on Linkerd for this reason). Only the services exported to other clusters get it.
  for (const to of placement.viaGateway) authz.allow({ from: [GATEWAY_CALLER], to: services[to]! });
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
  for (const [cluster, placement] of Object.entries(PLACEMENT)) addBookinfo(mesh.app(cluster), placement);
  mesh.addGlobalService({ name: 'reviews', namespace: NAMESPACE, ports: [{ name: 'http', port: BOOKINFO_PORT }], runsIn: ['west'], calledFrom: ['east'] });
  return mesh;
}

if (require.main === module) {
  createMesh(process.env.CDK8S_OUTDIR ?? 'dist/multicluster-linkerd').synth();
}
