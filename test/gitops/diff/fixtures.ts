// Outputs before and after a commit, as the diff tests compare them.
import { Manifest } from '../../../src/analysis/manifest';
import { destinationRule, route, service, virtualService } from '../../analysis/fixtures';

/** The object with an `argocd.argoproj.io/sync-wave` annotation. */
export function inWave<T extends Manifest>(m: T, wave: number): T {
  return { ...m, metadata: { ...m.metadata, annotations: { ...(m.metadata.annotations ?? {}), 'argocd.argoproj.io/sync-wave': String(wave) } } };
}

/** The object with more annotations. */
export function annotated<T extends Manifest>(m: T, annotations: Record<string, string>): T {
  return { ...m, metadata: { ...m.metadata, annotations: { ...(m.metadata.annotations ?? {}), ...annotations } } };
}

export const NS = 'bookinfo';

/** reviews with subsets of `versions` (DestinationRule in wave 0) and a split over `weights` (VirtualService in wave 1). */
export function reviews(weights: Record<string, number>, versions: string[] = Object.keys(weights), waves = true): Manifest[] {
  const dr = destinationRule('reviews', 'reviews', Object.fromEntries(versions.map((v) => [v, { version: v }])), NS);
  const vs = virtualService('reviews', { hosts: ['reviews'], http: [route(...Object.entries(weights).map(([subset, weight]) => ({ host: 'reviews', subset, weight })))] }, NS);
  return [service('reviews', [{ port: 9080, name: 'http' }], { app: 'reviews' }, NS), waves ? inWave(dr, 0) : dr, waves ? inWave(vs, 1) : vs];
}

export function peerAuthentication(name: string, namespace: string, mode: string, extra: Record<string, unknown> = {}): Manifest {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec: { mtls: { mode }, ...extra } };
}

/** A DestinationRule for `host` with the given traffic policy (no subsets). */
export function tlsRule(name: string, host: string, trafficPolicy: Record<string, unknown>, namespace = NS): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace }, spec: { host, trafficPolicy } };
}

export function referenceGrant(name: string, namespace: string, fromNamespace: string, serviceName?: string): Manifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: fromNamespace }], to: [{ group: '', kind: 'Service', ...(serviceName ? { name: serviceName } : {}) }] },
  };
}

/** A ConfigMap with an optional sync wave and sync options. */
export function configMap(name: string, wave?: string, syncOptions?: string): Manifest {
  const annotations: Record<string, string> = {};
  if (wave !== undefined) annotations['argocd.argoproj.io/sync-wave'] = wave;
  if (syncOptions) annotations['argocd.argoproj.io/sync-options'] = syncOptions;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', annotations } };
}
