/** A Kubernetes label selector as found in manifests (`matchLabels` / `matchExpressions`). */
export interface LabelSelector {
  /** @default - none */
  readonly matchLabels?: Record<string, string>;
  /** @default - none */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

/** One `matchExpressions` entry of a {@link LabelSelector}. */
export interface LabelSelectorRequirement {
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /** @default - none */
  readonly values?: string[];
}

/**
 * True if every `key: value` of `selector` is among `labels`. An empty selector matches everything
 * (as a Service or policy selector with no labels does).
 */
export function labelsMatch(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector)) {
    if (have[k] !== v) return false;
  }
  return true;
}

/** True if `labels` satisfy a full label selector (matchLabels and the In/NotIn/Exists/DoesNotExist expressions). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  if (!labelsMatch(selector.matchLabels, have)) return false;
  for (const e of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!present || !values.includes(have[e.key])) return false; break;
      case 'NotIn': if (present && values.includes(have[e.key])) return false; break;
      case 'Exists': if (!present) return false; break;
      case 'DoesNotExist': if (present) return false; break;
      default: return false;
    }
  }
  return true;
}
