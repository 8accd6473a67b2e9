import { Chart } from 'cdk8s';
import { ArgoCdIgnoreRules, ArgoCdSyncWaves } from '../../src';

// Checks on a rendered app that schemas and the analyzer do not make: the Argo CD sync waves make
// before they break, and every ignore rule names an object and the fields that object has.

const waveOf = (o: any): number | undefined => {
  const w = o.metadata?.annotations?.[ArgoCdSyncWaves.ANNOTATION];
  return w === undefined ? undefined : Number(w);
};
const shortHost = (h: string) => h.split('.')[0];

/** Problems with the sync waves of objects rendered with waves on (empty when none). */
export function waveProblems(objects: any[]): string[] {
  const problems: string[] = [];
  const id = (o: any) => `${o.kind}/${o.metadata?.name}`;
  for (const o of objects) if (waveOf(o) === undefined) problems.push(`${id(o)} has no sync wave`);
  const rules = objects.filter((o) => o.kind === 'DestinationRule');
  for (const vs of objects.filter((o) => o.kind === 'VirtualService')) {
    const dests = (vs.spec.http ?? []).flatMap((r: any) => [...(r.route ?? []).map((d: any) => d.destination), ...(r.mirror ? [r.mirror] : [])]);
    for (const d of dests.filter((x: any) => x?.subset)) {
      for (const dr of rules.filter((r) => shortHost(r.spec.host) === shortHost(d.host) && r.spec.subsets?.some((s: any) => s.name === d.subset))) {
        if (!(waveOf(dr)! < waveOf(vs)!)) problems.push(`${id(vs)} (wave ${waveOf(vs)}) routes to subset ${d.subset} of ${id(dr)} (wave ${waveOf(dr)}) in the same or a later wave`);
      }
    }
    const delegates = (vs.spec.http ?? []).filter((r: any) => r.delegate);
    for (const canary of objects.filter((o) => o.kind === 'Canary' && delegates.length)) {
      if (!(waveOf(canary)! < waveOf(vs)!)) problems.push(`${id(vs)} delegates (wave ${waveOf(vs)}) no later than ${id(canary)} (wave ${waveOf(canary)})`);
    }
  }
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map(waveOf);
  const others = objects.filter((o) => o.kind !== 'Namespace').map(waveOf);
  if (namespaces.length && others.length && Math.max(...(namespaces as number[])) >= Math.min(...(others as number[]))) problems.push('a Namespace is not in the first wave');
  return problems;
}

/** The elements of `obj` at a jq path like `.spec.http[]` or `.spec.rules[].backendRefs[]`. */
function elementsAt(obj: any, path: string): any[] {
  let current: any[] = [obj];
  for (const part of path.split('.').filter(Boolean)) {
    const name = part.replace(/\[\]$/, '');
    current = current.map((c) => c?.[name]).filter((c) => c !== undefined);
    if (part.endsWith('[]')) current = current.flatMap((c) => (Array.isArray(c) ? c : []));
  }
  return current;
}

/** `<path>[] | select(<condition>)<rest>` split at the select's closing parenthesis (the condition may hold parentheses). */
function splitSelection(jq: string): { path: string; condition: string; rest: string } | undefined {
  const m = /^(\.[\w.[\]]+\[\]) \| select\(/.exec(jq);
  if (!m) return undefined;
  let depth = 1;
  for (let i = m[0].length; i < jq.length; i++) {
    depth += jq[i] === '(' ? 1 : jq[i] === ')' ? -1 : 0;
    if (depth === 0) return { path: m[1], condition: jq.slice(m[0].length, i), rest: jq.slice(i + 1) };
  }
  return undefined;
}

/**
 * Problems with the ignore rules of the objects below `chart`: a rule naming an object the output
 * lacks (except `objectsElsewhere`: the kinds the app leaves to the user), a jq selection by name of
 * fields inside elements that selects no rendered element, and a selection of whole elements by
 * name (the routes a controller adds and removes) that selects a rendered element or names a route
 * no Rollout manages.
 */
export function ignoreRuleProblems(chart: Chart, objects: any[], objectsElsewhere: string[] = []): string[] {
  const problems: string[] = [];
  const managedRoutes = objects.filter((o) => o.kind === 'Rollout').flatMap((r) => (r.spec?.strategy?.canary?.trafficRouting?.managedRoutes ?? []).map((m: any) => m.name));
  for (const rule of ArgoCdIgnoreRules.of(chart).ignoreDifferences) {
    const obj = objects.find((o) => o.kind === rule.kind && o.metadata?.name === rule.name && (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '') === rule.group);
    if (!obj) {
      if (!objectsElsewhere.includes(rule.kind)) problems.push(`ignore rule for ${rule.kind}/${rule.name}, which is not rendered`);
      continue;
    }
    for (const jq of rule.jqPathExpressions ?? []) {
      const sel = splitSelection(jq);
      if (!sel) continue;
      // the element's own name (`.name == "x"`), not a name inside it (`.[0].name == "x"`, a selection by shape)
      const names = [...sel.condition.matchAll(/(?<![\w\]])\.name == "([^"]+)"/g)].map((x) => x[1]);
      const selected = elementsAt(obj, sel.path).filter((e) => names.includes(e?.name));
      if (sel.rest === '') {
        // whole elements: what the controller adds at runtime, never in Git's object
        if (selected.length) problems.push(`ignore rule ${JSON.stringify(jq)} of ${rule.kind}/${rule.name} removes rendered elements ${selected.map((e) => e.name).join(', ')}`);
        for (const n of names.filter((x) => !managedRoutes.includes(x))) problems.push(`ignore rule ${JSON.stringify(jq)} of ${rule.kind}/${rule.name} names ${n}, which no Rollout manages`);
      } else if (names.length && !selected.length) {
        problems.push(`ignore rule ${JSON.stringify(jq)} of ${rule.kind}/${rule.name} selects nothing`);
      }
    }
  }
  return problems;
}
