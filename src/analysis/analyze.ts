import { IAnalyzer } from './analyzer';
import { Finding } from './finding';
import { Manifest } from './manifest';
import { ManifestIndex, ManifestIndexOptions } from './manifest-index';
import { ANALYZERS } from './registry';
import { sortFindings } from './report';

/** Options of {@link analyze}. */
export interface AnalyzeOptions extends ManifestIndexOptions {
  /**
   * The namespace of objects that name none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * The analyzers to run.
   * @default - every registered analyzer (`ANALYZERS`)
   */
  readonly analyzers?: IAnalyzer[];
}

/**
 * Runs the cross-resource checks on a set of manifests (plain JSON, as synthesized or read from
 * YAML) and returns the findings, errors first, in a stable order.
 */
export function analyze(manifests: readonly Manifest[], options: AnalyzeOptions = {}): Finding[] {
  const index = new ManifestIndex([...manifests], options.defaultNamespace ?? 'default', options);
  const findings: Finding[] = [];
  for (const analyzer of options.analyzers ?? ANALYZERS) findings.push(...analyzer.analyze(index));
  return sortFindings(findings);
}
