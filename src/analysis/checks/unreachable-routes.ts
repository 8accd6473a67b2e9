import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
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
 * IST0130 and IST0131: VirtualService rules that can never be used. Istio evaluates rules in
 * order and takes the first match, so a rule after a catch-all (no `match`, or an empty match) is
 * unreachable (IST0130), as is a rule all of whose matches repeat matches of earlier rules; a
 * single match that repeats an earlier one is ineffective (IST0131). Both are warnings, as in Istio.
 */
export const unreachableRoutesAnalyzer: Analyzer = {
  name: 'virtualservice-unreachable-rules',
  codes: ['IST0130', 'IST0131'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      for (const kind of ROUTE_LISTS) {
        const rules: any[] = Array.isArray(vs.spec?.[kind]) ? vs.spec[kind] : [];
        const seen = new Map<string, string>();
        let catchAll: string | undefined;
        rules.forEach((rule, i) => {
          const where = `${kind}[${i}]`;
          const matches: unknown[] = Array.isArray(rule?.match) ? rule.match : [];
          if (catchAll !== undefined) {
            out.push(findingAbout(index, vs, 'IST0130', Severity.WARNING,
              `${where} is never used: ${catchAll} before it matches every request. Fix: move the catch-all rule last, or give it a match`));
            return;
          }
          const keys = matches.map(matchKey);
          if (matches.length === 0 || keys.includes('{}')) {
            catchAll = where;
            return;
          }
          const repeats = keys.map((k, j) => ({ j, earlier: seen.get(k) })).filter((r) => r.earlier !== undefined);
          if (repeats.length === keys.length) {
            out.push(findingAbout(index, vs, 'IST0130', Severity.WARNING,
              `${where} is never used: every match of it repeats a match of an earlier rule (${repeats.map((r) => r.earlier).join(', ')}). Fix: remove the rule or change its matches`));
          } else {
            for (const r of repeats) {
              out.push(findingAbout(index, vs, 'IST0131', Severity.WARNING,
                `${where}.match[${r.j}] repeats ${r.earlier}, which matches first, so it never applies here. Fix: remove the match or change it`));
            }
          }
          keys.forEach((k, j) => {
            if (!seen.has(k)) seen.set(k, `${where}.match[${j}]`);
          });
        });
      }
    }
    return out;
  },
};
