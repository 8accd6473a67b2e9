import { fail, quote } from '../../core/errors';
import { validateRe2 } from '../../core/re2';

/** A relabeling action. */
export enum RelabelAction {
  REPLACE = 'replace',
  KEEP = 'keep',
  DROP = 'drop',
  LABEL_MAP = 'labelmap',
  LABEL_DROP = 'labeldrop',
  LABEL_KEEP = 'labelkeep',
}

/** The fields of a relabeling rule, as prometheus-operator spells them. */
export interface RelabelConfig {
  readonly action: RelabelAction;
  readonly sourceLabels?: string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
}

/** Options of a `replace` rule. */
export interface RelabelReplaceOptions {
  readonly sourceLabels: string[];
  readonly targetLabel: string;
  /** @default '(.*)' */
  readonly regex?: string;
  /** @default '$1' */
  readonly replacement?: string;
}

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function labels(where: string, prop: string, values: string[]): string[] {
  if (!Array.isArray(values) || values.length === 0) fail(where, prop, 'must list at least one label', 'pass e.g. ["__meta_kubernetes_pod_container_name"]');
  for (const v of values) if (!LABEL.test(v)) fail(where, prop, `contains ${quote(v)}, which is not a label name`, 'use names such as "__meta_kubernetes_namespace"');
  return [...values];
}

function regex(where: string, value: string): string {
  return validateRe2(where, 'regex', value, { engine: 'Prometheus (Go regexp)' });
}

/**
 * A target or metric relabeling rule of a ServiceMonitor / PodMonitor endpoint.
 *
 * @example
 * Relabel.keep(['__meta_kubernetes_pod_container_name'], 'istio-proxy')
 * Relabel.replace({ sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' })
 */
export class Relabel {
  /** Keeps only targets whose joined source labels match `regex`. */
  public static keep(sourceLabels: string[], regexValue: string, separator?: string): Relabel {
    return new Relabel({ action: RelabelAction.KEEP, sourceLabels: labels('Relabel.keep', 'sourceLabels', sourceLabels), regex: regex('Relabel.keep', regexValue), separator });
  }

  /** Drops targets whose joined source labels match `regex`. */
  public static drop(sourceLabels: string[], regexValue: string): Relabel {
    return new Relabel({ action: RelabelAction.DROP, sourceLabels: labels('Relabel.drop', 'sourceLabels', sourceLabels), regex: regex('Relabel.drop', regexValue) });
  }

  /** Writes `replacement` (with `$n` groups of `regex`) to `targetLabel`. */
  public static replace(options: RelabelReplaceOptions): Relabel {
    const where = 'Relabel.replace';
    if (!LABEL.test(options.targetLabel ?? '')) fail(where, 'targetLabel', `must be a label name, got ${quote(options.targetLabel)}`, 'pass e.g. "pod"');
    return new Relabel({
      action: RelabelAction.REPLACE,
      sourceLabels: labels(where, 'sourceLabels', options.sourceLabels),
      regex: options.regex === undefined ? undefined : regex(where, options.regex),
      targetLabel: options.targetLabel,
      replacement: options.replacement,
    });
  }

  /** Copies labels whose names match `regex` to `replacement` (default `$1`). */
  public static labelMap(regexValue: string, replacement?: string): Relabel {
    return new Relabel({ action: RelabelAction.LABEL_MAP, regex: regex('Relabel.labelMap', regexValue), replacement });
  }

  /** Removes labels whose names match `regex`. */
  public static labelDrop(regexValue: string): Relabel {
    return new Relabel({ action: RelabelAction.LABEL_DROP, regex: regex('Relabel.labelDrop', regexValue) });
  }

  private constructor(private readonly config: RelabelConfig) {}

  /** The rule in prometheus-operator form. */
  public toConfig(): RelabelConfig {
    return Object.fromEntries(Object.entries(this.config).filter(([, v]) => v !== undefined)) as unknown as RelabelConfig;
  }
}
