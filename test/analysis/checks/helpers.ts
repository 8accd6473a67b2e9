import { Analyzer } from '../../../src/analysis/analyzer';
import { Finding } from '../../../src/analysis/finding';
import { Manifest } from '../../../src/analysis/manifest';
import { ManifestIndex, ManifestIndexOptions } from '../../../src/analysis/manifest-index';

/** Runs one analyzer on a set of manifests. */
export function run(analyzer: Analyzer, manifests: Manifest[], options: ManifestIndexOptions = {}): Finding[] {
  return analyzer.analyze(new ManifestIndex(manifests, 'default', options));
}
