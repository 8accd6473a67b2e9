import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { httpMatchCovers, uriPrefixOf } from '../http-match-cover';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

const ROUTE_LISTS = ['http', 'tcp', 'tls'] as const;

/** A match as a comparable string: its fields with sorted keys, without the informational `name`. */
function matchKey(match: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).filter((k) => k !== 'name').sort().map((k) => [k, canonical((v as any)[k])]));
    }
    return v;
  };
  return JSON.stringify(canonical(match));
}

/**
 * IST0130 and IST0131: VirtualService rules and matches that can never be used, as Istio's
 * validation finds them. Istio evaluates rules in order and takes the first match, so:
 *
 * - a rule after a catch-all (no `match`, or an empty match) is unreachable (IST0130);
 * - a match that repeats an earlier match (same rule or an earlier one) is ineffective (IST0131),
 *   and a rule all of whose matches repeat earlier ones is also unreachable (IST0130);
 * - an HTTP prefix match covered by an earlier prefix match (a shorter prefix with looser or equal
 *   method, authority, header, query and port conditions) is ineffective (IST0131).
 *
 * Both are warnings, as in Istio.
 */
export const unreachableRoutesAnalyzer: IAnalyzer = {
  name: 'virtualservice-unreachable-rules',
  codes: ['IST0130', 'IST0131'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      for (const kind of ROUTE_LISTS) out.push(...analyzeRules(index, vs, kind));
    }
    return out;
  },
};

function analyzeRules(index: ManifestIndex, vs: Manifest, kind: string): Finding[] {
  const out: Finding[] = [];
  const unused = (where: string, reason: string) => out.push(findingAbout(index, vs, 'IST0130', Severity.WARNING, `${where} is never used: ${reason}`));
  const ineffective = (where: string, message: string) => out.push(findingAbout(index, vs, 'IST0131', Severity.WARNING, `${where} ${message}`));
  const rules: any[] = Array.isArray(vs.spec?.[kind]) ? vs.spec[kind] : [];
  const seen = new Map<string, string>();
  const prefixMatches: Array<{ where: string; match: any }> = [];
  let catchAll: string | undefined;
  rules.forEach((rule, i) => {
    if (!rule || typeof rule !== 'object') return;
    const where = `${kind}[${i}]`;
    const matches: unknown[] = Array.isArray(rule.match) ? rule.match : [];
    if (catchAll !== undefined) {
      unused(where, `${catchAll} before it matches every request. Fix: move the catch-all rule last, or give it a match`);
      return;
    }
    const keys = matches.map(matchKey);
    if (matches.length === 0 || keys.includes('{}')) {
      catchAll = where;
      return;
    }
    let repeats = 0;
    keys.forEach((key, j) => {
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        repeats++;
        ineffective(`${where}.match[${j}]`, `repeats ${earlier}, which matches first, so it never applies here. Fix: remove the match or change it`);
        return;
      }
      seen.set(key, `${where}.match[${j}]`);
      if (kind === 'http' && uriPrefixOf(matches[j]) !== undefined) prefixMatches.push({ where: `${where}.match[${j}]`, match: matches[j] });
    });
    if (repeats === matches.length) unused(where, 'every match of it repeats a match of an earlier rule. Fix: remove the rule or change its matches');
  });
  prefixMatches.forEach((a, i) => {
    for (const b of prefixMatches.slice(i + 1)) {
      if (uriPrefixOf(a.match) === uriPrefixOf(b.match) || !httpMatchCovers(a.match, b.match)) continue;
      ineffective(b.where, `(prefix ${uriPrefixOf(b.match)}) never applies: ${a.where} (prefix ${uriPrefixOf(a.match)}) matches every request it would match first. `
        + 'Fix: put the longer prefix first, or remove the match');
    }
  });
  return out;
}
