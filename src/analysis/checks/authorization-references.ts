import { REMOTE_CALLERS_ANNOTATION } from '../../core/cross-cluster';
import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { parsePrincipal } from '../principals';
import { findingAbout } from '../report';

const SECURITY = 'security.istio.io';
const LINKERD = 'policy.linkerd.io';
/** Namespaces every cluster (or mesh installation) has, though app manifests never define them. */
const WELL_KNOWN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'istio-system', 'linkerd', 'linkerd-viz', 'cilium'];
/** Istio's root namespace. */
const ROOT_NAMESPACE = 'istio-system';

/** Istio's namespace expressions: `*`, a `*suffix`, a `prefix*`, or a name. */
function namespaceMatches(namespace: string, expression: string): boolean {
  if (expression === '*') return true;
  if (expression.startsWith('*')) return namespace.endsWith(expression.slice(1));
  if (expression.endsWith('*')) return namespace.startsWith(expression.slice(0, -1));
  return namespace.toLowerCase() === expression.toLowerCase();
}

/** The ServiceAccounts of the set by namespace (`default` exists in every namespace). */
function serviceAccounts(index: ManifestIndex): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const sa of index.ofKind('', 'ServiceAccount')) {
    const ns = index.namespaceOf(sa);
    const set = out.get(ns) ?? new Set(['default']);
    set.add(sa.metadata.name);
    out.set(ns, set);
  }
  return out;
}

function sources(m: Manifest): Array<{ where: string; source: any }> {
  const rules = Array.isArray(m.spec?.rules) ? m.spec.rules : [];
  return rules.flatMap((r: any, i: number) => (Array.isArray(r?.from) ? r.from : [])
    .map((f: any, j: number) => ({ where: `rules[${i}].from[${j}].source`, source: f?.source ?? {} })));
}

/**
 * Allow rules that name identities the manifests do not define, and rule-less DENY/AUDIT policies:
 *
 * - MESH0201 (warning): an AuthorizationPolicy principal `<td>/ns/<ns>/sa/<sa>` (or a Linkerd
 *   MeshTLSAuthentication ServiceAccount ref) naming a ServiceAccount that is not in the set,
 *   checked only for namespaces whose ServiceAccounts the set defines, and not on a policy admitting
 *   callers of other clusters (annotation `mesh.cdk8s.io/remote-callers-from`). A typo here silently
 *   denies the caller.
 * - IST0101 (warning, Istio's code): an AuthorizationPolicy source `namespaces` or `notNamespaces`
 *   expression (a name, `prefix*` or `*suffix`) matching no namespace, checked only when the set
 *   defines Namespaces (a Linkerd namespace-only identity ref gets MESH0201).
 * - MESH0202 (error): a DENY or AUDIT AuthorizationPolicy without rules, which matches nothing (a
 *   DENY meant as deny-all denies nothing).
 * - MESH0205 (warning): an AuthorizationPolicy that checks JWTs (`requestPrincipals` or
 *   `request.auth.*` conditions) with no RequestAuthentication in its namespace or the root
 *   namespace: no request ever carries a verified token, so an ALLOW rule never matches.
 */
export const authorizationReferencesAnalyzer: IAnalyzer = {
  name: 'authorization-references',
  codes: ['MESH0201', 'MESH0202', 'MESH0205', 'IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const sas = serviceAccounts(index);
    const namespaceObjects = index.ofKind('', 'Namespace').map((n) => n.metadata.name);
    const namespaces = new Set([...namespaceObjects, ...WELL_KNOWN_NAMESPACES]);
    const checkSa = (m: Manifest, where: string, ns: string, sa: string, shown: string) => {
      const known = sas.get(ns);
      if (!known || known.has(sa)) return;
      out.push(findingAbout(index, m, 'MESH0201', Severity.WARNING,
        `${where} names ${shown}, but namespace ${ns} defines no ServiceAccount ${sa} (it has ${[...known].sort().join(', ')}), so the rule never matches that caller. `
        + 'Fix: correct the ServiceAccount name or namespace, or create the ServiceAccount'));
    };
    const checkNs = (m: Manifest, where: string, ns: string, code = 'MESH0201') => {
      if (namespaceObjects.length === 0 || [...namespaces].some((n) => namespaceMatches(n, ns))) return;
      out.push(findingAbout(index, m, code, Severity.WARNING,
        `${where} names namespace ${ns}, which ${ns.includes('*') ? 'matches no namespace' : 'is not a namespace'} the manifests define (they define ${namespaceObjects.sort().join(', ')}). Fix: correct the namespace name or create the Namespace`));
    };

    const jwtNamespaces = new Set(index.ofKind(SECURITY, 'RequestAuthentication').map((r) => index.namespaceOf(r)));
    for (const m of index.ofKind(SECURITY, 'AuthorizationPolicy')) {
      const action = m.spec?.action ?? 'ALLOW';
      const rules = Array.isArray(m.spec?.rules) ? m.spec.rules : [];
      if ((action === 'DENY' || action === 'AUDIT') && rules.length === 0) {
        out.push(findingAbout(index, m, 'MESH0202', Severity.ERROR,
          `is a ${action} policy without rules, which matches no request${action === 'DENY' ? ' (it denies nothing; an ALLOW policy with no rules, spec: {}, is the deny-all baseline)' : ''}. `
          + `Fix: add rules, or use an allow-nothing policy (spec: {}) to deny by default`));
      }
      const usesJwt = sources(m).some(({ source }) => source.requestPrincipals || source.notRequestPrincipals)
        || rules.some((r: any) => (Array.isArray(r?.when) ? r.when : []).some((c: any) => String(c?.key ?? '').startsWith('request.auth.')));
      const ns = index.namespaceOf(m);
      if (usesJwt && !jwtNamespaces.has(ns) && !jwtNamespaces.has(ROOT_NAMESPACE)) {
        out.push(findingAbout(index, m, 'MESH0205', Severity.WARNING,
          `checks JWTs (requestPrincipals or request.auth conditions), but no RequestAuthentication in namespace ${ns} or ${ROOT_NAMESPACE} validates tokens, so no request carries a verified one. `
          + 'Fix: add a RequestAuthentication for the same workloads (JwtPolicy creates both)'));
      }
      // a policy admitting other clusters' callers names ServiceAccounts of those clusters
      const remote = m.metadata?.annotations?.[REMOTE_CALLERS_ANNOTATION] !== undefined;
      for (const { where, source } of sources(m)) {
        for (const p of !remote && Array.isArray(source.principals) ? source.principals : []) {
          const id = parsePrincipal(p);
          if (id) checkSa(m, `${where}.principals`, id.namespace, id.serviceAccount, `principal ${p}`);
        }
        for (const key of ['namespaces', 'notNamespaces']) {
          for (const ns of Array.isArray(source[key]) ? source[key] : []) checkNs(m, `${where}.${key}`, String(ns), 'IST0101');
        }
      }
    }

    for (const m of index.ofKind(LINKERD, 'MeshTLSAuthentication')) {
      (Array.isArray(m.spec?.identityRefs) ? m.spec.identityRefs : []).forEach((ref: any, i: number) => {
        if (ref?.kind !== 'ServiceAccount') return;
        const ns = String(ref.namespace ?? index.namespaceOf(m));
        if (ref.name) checkSa(m, `identityRefs[${i}]`, ns, String(ref.name), `ServiceAccount ${ns}/${ref.name}`);
        else checkNs(m, `identityRefs[${i}]`, ns);
      });
    }
    return out;
  },
};
