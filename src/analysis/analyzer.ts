import { Finding } from './finding';
import type { ManifestIndex } from './manifest-index';

/**
 * One cross-resource check. Analyzers read plain manifests (never constructs), so the same check
 * runs at synth, in the `cdk8s-mesh analyze` CLI on any YAML, and in tests.
 */
export interface IAnalyzer {
  /** A short kebab-case name, e.g. `virtualservice-subset-defined`. */
  readonly name: string;
  /** The codes this analyzer can report. */
  readonly codes: string[];
  /** The findings of this check on the indexed manifests. */
  analyze(index: ManifestIndex): Finding[];
}

/**
 * The former name of {@link IAnalyzer} (jsii names behavioural interfaces `I...`).
 * @deprecated use IAnalyzer
 */
export type Analyzer = IAnalyzer;
