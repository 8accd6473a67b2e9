import { ApiObject, Chart } from 'cdk8s';
import { ClusterRole, MeshCluster } from './mesh-cluster';

/** The namespace of Istio's control plane and east-west gateway. */
export const ISTIO_SYSTEM = 'istio-system';
/** The label on istio-system that tells istiod which network the cluster's pods are on. */
export const NETWORK_LABEL = 'topology.istio.io/network';
/** The selector of the east-west gateway installed from Istio's `istio/gateway` chart (samples/multicluster). */
export const EAST_WEST_SELECTOR = { istio: 'eastwestgateway' };

/** The annotation on a remote's istio-system naming the cluster whose istiod manages it (patches its webhooks, writes its namespaces' root-cert ConfigMaps). */
export const CONTROL_PLANE_CLUSTERS_ANNOTATION = 'topology.istio.io/controlPlaneClusters';

/**
 * istio-system with the cluster's network label; a remote's also names its primary, without which
 * the primary's istiod (externalIstiod) does not manage it (Istio's primary-remote guides).
 */
export function renderIstioSystem(chart: Chart, cluster: MeshCluster): void {
  const annotations = cluster.role === ClusterRole.REMOTE ? { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: cluster.primary! } : undefined;
  new ApiObject(chart, 'istio-system', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ISTIO_SYSTEM, labels: { [NETWORK_LABEL]: cluster.network }, annotations } });
}

/** A Gateway in istio-system served by the east-west gateway's pods. */
function eastWestGatewayObject(chart: Chart, name: string, servers: unknown[]): void {
  new ApiObject(chart, name, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ISTIO_SYSTEM },
    spec: { selector: EAST_WEST_SELECTOR, servers },
  });
}

/** The gateway through which other networks reach this cluster's services: mTLS passed through by SNI (AUTO_PASSTHROUGH) on 15443, for every mesh host. */
export function renderEastWestGateway(chart: Chart): void {
  eastWestGatewayObject(chart, 'cross-network-gateway',
    [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }]);
}

/** A primary's istiod exposed to its remote clusters through the east-west gateway: xDS (15012) and the injection webhook (15017 to istiod's 443), TLS passed through. */
export function renderIstiodExposure(chart: Chart): void {
  const istiod = `istiod.${ISTIO_SYSTEM}.svc.cluster.local`;
  const ports = [{ name: 'tls-istiod', port: 15012, target: 15012 }, { name: 'tls-istiodwebhook', port: 15017, target: 443 }];
  eastWestGatewayObject(chart, 'istiod-gateway',
    ports.map((p) => ({ port: { name: p.name, number: p.port, protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] })));
  new ApiObject(chart, 'istiod-vs', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'istiod-vs', namespace: ISTIO_SYSTEM },
    spec: {
      hosts: ['*'],
      gateways: ['istiod-gateway'],
      tls: ports.map((p) => ({
        match: [{ port: p.port, sniHosts: ['*'] }],
        route: [{ destination: { host: istiod, port: { number: p.target } } }],
      })),
    },
  });
}

/**
 * Istio's install-time values for the cluster (the base and istiod charts, or their `remote`
 * profile), which the user passes to `helm install -f`. As Istio's primary-remote guides set them:
 * a primary with remotes serves as their external control plane (`global.externalIstiod`, which
 * the istiod chart turns into `EXTERNAL_ISTIOD`); a remote runs no istiod but keeps the validation
 * webhook and RBAC its primary uses (`global.configCluster`), and its injection webhook calls the
 * primary's istiod on the path naming its cluster and network.
 */
export function istioInstallValues(cluster: MeshCluster, managesRemotes: boolean): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const remote = cluster.role === ClusterRole.REMOTE;
  if (remote) values.profile = 'remote';
  values.global = {
    meshID: cluster.meshId,
    multiCluster: { clusterName: cluster.name },
    network: cluster.network,
    ...(remote || managesRemotes ? { externalIstiod: true } : {}),
    ...(remote ? { configCluster: true } : {}),
  };
  if (remote) values.istiodRemote = { injectionPath: `/inject/cluster/${cluster.name}/net/${cluster.network}` };
  values.meshConfig = { trustDomain: cluster.trustDomain };
  return values;
}
