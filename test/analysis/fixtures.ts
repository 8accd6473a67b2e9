// Manifest builders for the analyzer tests: plain JSON as a chart or a YAML file would hold.
import { Manifest } from '../../src/analysis/manifest';

export interface Dest { host: string; subset?: string; port?: number; weight?: number }

export function route(...dests: Dest[]): any {
  return {
    route: dests.map((d) => ({
      destination: { host: d.host, ...(d.subset ? { subset: d.subset } : {}), ...(d.port ? { port: { number: d.port } } : {}) },
      ...(d.weight !== undefined ? { weight: d.weight } : {}),
    })),
  };
}

export function virtualService(name: string, spec: { hosts: string[]; gateways?: string[]; http?: any[]; tcp?: any[] }, namespace = 'default'): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec };
}

export function destinationRule(name: string, host: string, subsets: Record<string, Record<string, string>>, namespace = 'default'): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace },
    spec: { host, subsets: Object.entries(subsets).map(([n, labels]) => ({ name: n, labels })) },
  };
}

export function service(name: string, ports: Array<{ port: number; name?: string; appProtocol?: string; protocol?: string }>, selector: Record<string, string> | undefined = { app: name }, namespace = 'default'): Manifest {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace },
    spec: { ...(selector ? { selector } : {}), ports: ports.map((p) => ({ ...p, targetPort: p.port })) },
  };
}

export function deployment(name: string, podLabels: Record<string, string>, namespace = 'default'): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: {
      selector: { matchLabels: podLabels },
      template: { metadata: { labels: podLabels }, spec: { serviceAccountName: podLabels.app ?? 'default', containers: [{ name: 'app', image: 'example/app:1' }] } },
    },
  };
}

export function gateway(name: string, hosts: string[], namespace = 'istio-system'): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
  };
}

export function serviceEntry(name: string, hosts: string[], ports: number[] = [443], namespace = 'default'): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace },
    spec: { hosts, location: 'MESH_EXTERNAL', resolution: 'DNS', ports: ports.map((p) => ({ number: p, name: `tls-${p}`, protocol: 'TLS' })) },
  };
}

export function httpRoute(name: string, parent: string, backends: Array<{ name: string; port?: number; weight?: number; namespace?: string }>, namespace = 'default'): Manifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace },
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: parent, port: 9080 }],
      rules: [{ backendRefs: backends.map((b) => ({ name: b.name, port: b.port ?? 9080, ...(b.weight !== undefined ? { weight: b.weight } : {}), ...(b.namespace ? { namespace: b.namespace } : {}) })) }],
    },
  };
}

export function authorizationPolicy(name: string, matchLabels: Record<string, string>, namespace = 'default'): Manifest {
  return {
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace },
    spec: { selector: { matchLabels }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/productpage'] } }] }] },
  };
}

export function sidecar(name: string, labels: Record<string, string>, namespace = 'default'): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name, namespace },
    spec: { workloadSelector: { labels }, egress: [{ hosts: ['./*', 'istio-system/*'] }] },
  };
}

/** The bookinfo `reviews` service with consistent routing: no finding expected. */
export function healthyReviews(namespace = 'default'): Manifest[] {
  return [
    service('reviews', [{ port: 9080, name: 'http' }], { app: 'reviews' }, namespace),
    deployment('reviews-v1', { app: 'reviews', version: 'v1' }, namespace),
    deployment('reviews-v2', { app: 'reviews', version: 'v2' }, namespace),
    destinationRule('reviews', 'reviews', { v1: { version: 'v1' }, v2: { version: 'v2' } }, namespace),
    virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v1', weight: 90 }, { host: 'reviews', subset: 'v2', weight: 10 })] }, namespace),
  ];
}
