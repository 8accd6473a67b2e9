import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ClientTlsMode } from './client-tls';
import { oncePerPass } from '../core/validation-pass';

/** A DestinationRule that sends plain text (tls.mode DISABLE) to a host. */
export interface PlainTextRule {
  /** The construct path of the rule (the L2, or the MeshService that rendered it). */
  readonly path: string;
  /** The rule's host as written. */
  readonly host: string;
  /** The namespace of the destination host. */
  readonly hostNamespace: string;
  /** The short host name, e.g. `reviews`. */
  readonly hostName: string;
  /** `trafficPolicy` or `subset v1 trafficPolicy`. */
  readonly where: string;
}

/** The namespace a DestinationRule host resolves to (`reviews`, `reviews.shop`, `reviews.shop.svc.cluster.local`), if in-cluster. */
export function hostNamespace(host: string, ruleNamespace: string): string | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return host === '*' ? undefined : ruleNamespace;
  if (parts.length === 2 || (parts.length >= 3 && parts[2] === 'svc')) return parts[1];
  return undefined;
}

/**
 * Every Istio DestinationRule object in the app (an L2's, a MeshService's or a raw one) with a
 * DISABLE client TLS mode, at service or subset level. Each STRICT namespace's validation asks:
 * the app is walked and its rules rendered once per validation pass.
 */
export function plainTextRules(scope: IConstruct): PlainTextRule[] {
  return oncePerPass(scope, plainTextRules, () => findPlainTextRules(scope.node.root));
}

function findPlainTextRules(root: IConstruct): PlainTextRule[] {
  const out: PlainTextRule[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'DestinationRule' || c.apiGroup !== 'networking.istio.io') continue;
    const json = c.toJson() as { metadata?: { namespace?: string }; spec?: { host?: string; trafficPolicy?: { tls?: { mode?: string } }; subsets?: Array<{ name: string; trafficPolicy?: { tls?: { mode?: string } } }> } };
    const spec = json.spec ?? {};
    const host = spec.host ?? '';
    const ns = hostNamespace(host, json.metadata?.namespace ?? 'default');
    if (!ns) continue;
    // an L2 wraps its object under the id `Resource`: name the L2
    const path = c.node.id === 'Resource' && c.node.scope ? c.node.scope.node.path : c.node.path;
    const hostName = host.split('.')[0];
    if (spec.trafficPolicy?.tls?.mode === ClientTlsMode.DISABLE) out.push({ path, host, hostNamespace: ns, hostName, where: 'trafficPolicy.tls.mode' });
    for (const s of spec.subsets ?? []) {
      if (s.trafficPolicy?.tls?.mode === ClientTlsMode.DISABLE) out.push({ path, host, hostNamespace: ns, hostName, where: `subset ${s.name} trafficPolicy.tls.mode` });
    }
  }
  return out;
}
