import { Chart } from 'cdk8s';
import { fail, quote } from '../core/errors';
import { HttpRoute, HttpRouteBackend } from '../gateway-api/http-route';
import { ParentRef } from '../gateway-api/parent-ref';
import { GlobalService } from './global-service';
import { valuesFile } from './values-file';

// Checked in linkerd2 (version-2.18, 2.19 and 2.20 tags): pkg/k8s/labels.go, multicluster/cmd/link.go,
// multicluster/service-mirror/cluster_watcher.go and multicluster/charts/linkerd-multicluster/values.yaml.

/** The label the service mirror's Link selectors read (`DefaultExportedServiceSelector`). */
export const EXPORTED_LABEL = 'mirror.linkerd.io/exported';
/** The label of a federated service's members (`DefaultFederatedServiceSelector`); Linkerd 2.17 and later. */
export const FEDERATED_LABEL = 'mirror.linkerd.io/federated';

/** How a cluster's Service is offered to the clusters linked to it: the value of its label. */
export enum LinkerdExport {
  /** `mirror.linkerd.io/exported: "true"`, the Link's default `selector`: mirrored as `<name>-<cluster>`, traffic through the target's linkerd-gateway (another network). */
  GATEWAY = 'true',
  /** `mirror.linkerd.io/exported: remote-discovery`, the default `remoteDiscoverySelector`: mirrored as `<name>-<cluster>`, pod to pod (one flat network). */
  REMOTE_DISCOVERY = 'remote-discovery',
  /** `mirror.linkerd.io/federated: member`, the default `federatedServiceSelector`: one `<name>-federated` Service over every member, pod to pod. */
  FEDERATED = 'member',
}

/** The label key and value that export a Service in the given way. */
export function exportLabel(mode: LinkerdExport): [string, string] {
  return [mode === LinkerdExport.FEDERATED ? FEDERATED_LABEL : EXPORTED_LABEL, mode];
}

/** The Service the service mirror creates in a linked cluster for `<name>` of the target cluster (`mirrorServiceName`: `<name>-<target cluster>`). */
export function mirrorServiceName(where: string, service: string, cluster: string): string {
  const name = `${service}-${cluster}`;
  if (name.length > 63) fail(where, 'name', `and cluster ${quote(cluster)} make the mirrored Service name ${quote(name)}, longer than 63 characters`, 'shorten the service or cluster name');
  return name;
}

/** The Service the service mirror creates for a federated service (`federatedServiceName`: `<name>-federated`). */
export function federatedServiceName(where: string, service: string): string {
  const name = `${service}-federated`;
  if (name.length > 63) fail(where, 'name', `makes the federated Service name ${quote(name)}, longer than 63 characters`, 'shorten the service name');
  return name;
}

/** What the renderer decided for a global service, which the diagram draws. */
export interface LinkerdServicePlan {
  readonly service: GlobalService;
  /** By serving cluster: how its Service is exported (absent: not exported). */
  readonly exports: Map<string, LinkerdExport>;
  /** By calling cluster: the Services its route forwards to, with weights (empty: no route, its own Service serves it). */
  readonly routes: Map<string, Array<{ name: string; weight: number }>>;
}

/** One HTTPRoute per port on the caller's `<name>` Service (its own or the stub), forwarding to the given Services. */
export function renderCrossClusterRoutes(chart: Chart, s: GlobalService, backends: Array<{ name: string; weight: number }>): void {
  for (const p of s.ports) {
    const name = s.ports.length === 1 ? s.name : `${s.name}-${p.name}`;
    new HttpRoute(chart, `route-${s.namespace}-${name}`, {
      name,
      namespace: s.namespace,
      parents: [ParentRef.service(s.name, { port: p.port })],
      rules: [{ backends: backends.map((b): HttpRouteBackend => ({ name: b.name, port: p.port, weight: b.weight })) }],
    });
  }
}

/** A Link from one cluster to another: the caller mirrors the target's exported services. */
export interface LinkerdLink {
  /** The cluster the Link is created in (it mirrors). */
  readonly from: string;
  /** The cluster it mirrors from. */
  readonly to: string;
  /** Through the target's gateway (another network), or pod to pod. */
  readonly gateway: boolean;
}

/** The command that creates the Link and its credentials: run against the target, applied to the linking cluster (contexts named after the clusters). */
export function linkGenCommand(link: LinkerdLink): string {
  return `linkerd --context=${link.to} multicluster link-gen --cluster-name=${link.to}${link.gateway ? '' : ' --gateway=false'} | kubectl --context=${link.from} apply -f -`;
}

/** The file beside each cluster's manifests with the linkerd-multicluster values and the link-gen commands; not a manifest. */
export const LINKERD_VALUES_FILE = 'linkerd-multicluster.values';

/**
 * The values of the linkerd-multicluster chart (2.18+) for a cluster: its gateway when another
 * network mirrors its services, one service-mirror controller per Link it holds (its gateway probe
 * off for a pod-to-pod Link, which has no gateway), and, in the header, the link-gen commands.
 */
export function linkerdValuesFile(cluster: string, links: LinkerdLink[]): string {
  const own = links.filter((l) => l.from === cluster);
  const header = [
    `linkerd-multicluster values for cluster ${cluster}, written by cdk8s-mesh. Not a Kubernetes manifest and not applied by Argo CD:`,
    `  linkerd --context=${cluster} multicluster install -f ${LINKERD_VALUES_FILE} | kubectl --context=${cluster} apply -f -`,
    ...(own.length === 0 ? ['This cluster mirrors no other cluster: it holds no Link.'] : [
      `Then create its Links (run them; their output holds the target's credentials, a Secret that never goes to Git):`,
      ...own.map((l) => `  ${linkGenCommand(l)}`),
    ]),
    'The clusters share one trust anchor (the identity trust roots you install Linkerd with); see docs/multicluster.md.',
  ];
  const values = {
    gateway: { enabled: links.some((l) => l.to === cluster && l.gateway) },
    controllers: own.map((l) => (l.gateway ? { link: { ref: { name: l.to } } } : { link: { ref: { name: l.to } }, gateway: { enabled: false } })),
  };
  return valuesFile(header, values);
}
