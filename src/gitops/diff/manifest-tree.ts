import * as path from 'path';
import { Manifest } from '../../analysis/manifest';
import { findYamlFiles, readManifests } from '../../analysis/yaml-files';

/** The objects of every `.yaml` / `.yml` file under a path, each tagged with its file relative to the path (so both sides of a diff name files alike). */
export function readManifestTree(root: string): { files: number; manifests: Manifest[] } {
  const files = findYamlFiles(root);
  const base = files.length === 1 && files[0] === root ? path.dirname(root) : root;
  return { files: files.length, manifests: files.flatMap((f) => readManifests(f, path.relative(base, f) || path.basename(f))) };
}
