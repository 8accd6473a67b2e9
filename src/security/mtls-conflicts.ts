import { IConstruct } from 'constructs';
import { DestinationRule } from '../istio/destination-rule';
import { ClientTlsMode } from './client-tls';

/** A DestinationRule that sends plain text (tls.mode DISABLE) to a host. */
export interface PlainTextRule {
  readonly rule: DestinationRule;
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

/** Every DestinationRule construct in the app with a DISABLE client TLS mode, at service or subset level. */
export function plainTextRules(scope: IConstruct): PlainTextRule[] {
  const out: PlainTextRule[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (!(c instanceof DestinationRule)) continue;
    const spec = c._toKube() as { trafficPolicy?: { tls?: { mode?: string } }; subsets?: Array<{ name: string; trafficPolicy?: { tls?: { mode?: string } } }> };
    const ns = hostNamespace(c.host, c.namespace ?? 'default');
    if (!ns) continue;
    const hostName = c.host.split('.')[0];
    if (spec.trafficPolicy?.tls?.mode === ClientTlsMode.DISABLE) out.push({ rule: c, hostNamespace: ns, hostName, where: 'trafficPolicy.tls.mode' });
    for (const s of spec.subsets ?? []) {
      if (s.trafficPolicy?.tls?.mode === ClientTlsMode.DISABLE) out.push({ rule: c, hostNamespace: ns, hostName, where: `subset ${s.name} trafficPolicy.tls.mode` });
    }
  }
  return out;
}
