// What Argo CD compares for an object under ignoreDifferences entries: the tests change objects as a
// controller does and check that exactly those changes are left out of the diff.
import { execFileSync } from 'child_process';
import { ArgoCdIgnoreDifference } from '../../src/gitops/argo-cd-ignore-rules';

/** Whether jq is installed: the field-by-field tests apply the jq paths with it, as Argo CD applies them with gojq. */
export const hasJq = (() => { try { execFileSync('jq', ['--version']); return true; } catch { return false; } })();
const group = (o: any): string => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');

/** What Argo CD compares: the object without the fields its ignoreDifferences entries name (argo-cd util/argo/normalizers/diff_normalizer.go). */
export function normalize(o: any, entries: ArgoCdIgnoreDifference[]): any {
  let out = JSON.parse(JSON.stringify(o));
  for (const e of entries.filter((x) => x.group === group(o) && x.kind === o.kind && x.name === o.metadata.name && (x.namespace ?? '') === (o.metadata.namespace ?? ''))) {
    for (const p of e.jsonPointers ?? []) {
      const keys = p.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      const parent = keys.slice(0, -1).reduce((n: any, k) => (n === undefined ? undefined : n[k]), out);
      if (parent !== undefined) delete parent[keys[keys.length - 1]];
    }
    for (const q of e.jqPathExpressions ?? []) out = JSON.parse(execFileSync('jq', ['-c', `del(${q})`], { input: JSON.stringify(out) }).toString());
  }
  return removeEmpty(out);
}

/** Argo CD drops the objects and lists a normalization leaves empty (removeEmptyObjects). */
function removeEmpty(o: any): any {
  if (Array.isArray(o)) return o.map(removeEmpty).filter((x) => !(isObject(x) && Object.keys(x).length === 0));
  if (!isObject(o)) return o;
  const out: any = {};
  for (const [k, v] of Object.entries(o)) {
    const c = removeEmpty(v);
    if ((isObject(c) || Array.isArray(c)) && Object.keys(c).length === 0) continue;
    out[k] = c;
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True if Argo CD would see the live object (the desired one changed by `change`) as in sync. */
export function inSync(objects: any[], entries: ArgoCdIgnoreDifference[], kind: string, name: string, change: (o: any) => void): boolean {
  const desired = objects.find((o) => o.kind === kind && o.metadata.name === name);
  expect(desired).toBeDefined();
  const live = JSON.parse(JSON.stringify(desired));
  change(live);
  return JSON.stringify(normalize(live, entries)) === JSON.stringify(normalize(desired, entries));
}
