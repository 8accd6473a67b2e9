import { objectIdentity } from '../../core/object-identity';
import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * MESH0003: two objects of the set with the same identity (API group, kind, namespace and name;
 * versions of one kind count as the same): applied together, the later replaces the earlier.
 * Reported on every copy after the first. (At synth, the same check runs on constructs first and
 * names both of them.)
 */
export const duplicateObjectsAnalyzer: IAnalyzer = {
  name: 'duplicate-objects',
  codes: ['MESH0003'],
  analyze(index: ManifestIndex): Finding[] {
    const first = new Map<string, Manifest>();
    const out: Finding[] = [];
    for (const m of index.manifests) {
      if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || typeof m.metadata?.name !== 'string') continue;
      const id = objectIdentity(m.apiVersion, m.kind, index.namespaceOf(m), m.metadata.name);
      const earlier = first.get(id);
      if (!earlier) {
        first.set(id, m);
        continue;
      }
      const where = earlier.__file && earlier.__file !== m.__file ? ` in ${earlier.__file}` : '';
      out.push(findingAbout(index, m, 'MESH0003', Severity.ERROR,
        `is defined twice: an earlier ${earlier.kind} (${earlier.apiVersion}) of the set${where} has the same kind, namespace and name, and applying both keeps only the last. `
        + 'Fix: remove one of them or rename it (files of alternative scenarios must be applied one at a time: analyze them with --per-file)'));
    }
    return out;
  },
};
