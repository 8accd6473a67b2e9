import { Finding } from './finding';
import type { ManifestIndex } from './manifest-index';

/**
 * One cross-resource check. Analyzers read plain manifests (never constructs), so the same check
 * runs at synth, in the `cdk8s-mesh analyze` CLI on any YAML, and in tests.
 */
export interface Analyzer {
  /** A short kebab-case name, e.g. `virtualservice-subset-defined`. */
  readonly name: string;
  /** The codes this analyzer can report. */
  readonly codes: readonly string[];
  analyze(index: ManifestIndex): Finding[];
}
