import * as fs from 'fs';
import * as path from 'path';
import type * as Yaml from 'yaml';
import { Manifest } from './manifest';

/** The `.yaml` / `.yml` files under a path (the path itself if it is a file), sorted. */
export function findYamlFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    const p = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      out.push(...findYamlFiles(p));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      out.push(p);
    }
  }
  return out.sort();
}

/**
 * The Kubernetes objects of a (multi-document) YAML file, each tagged with `__file`; `List`
 * objects are flattened. Throws with the file name on a YAML syntax error.
 */
export function readManifests(file: string, label: string = file): Manifest[] {
  return parseManifests(fs.readFileSync(file, 'utf8'), label);
}

/**
 * The Kubernetes objects of (multi-document) YAML text, each tagged with `__file: label`; `List`
 * objects are flattened. Throws with the label on a YAML syntax error.
 */
export function parseManifests(text: string, label: string): Manifest[] {
  // loaded on first use: only the CLI and users reading YAML files need the parser, not every synth
  const { parseAllDocuments } = require('yaml') as typeof Yaml;
  const docs = parseAllDocuments(text);
  const out: Manifest[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new Error(`${label}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    for (const obj of value?.kind === 'List' && Array.isArray(value.items) ? value.items : [value]) {
      if (obj && typeof obj === 'object' && typeof obj.kind === 'string' && typeof obj.apiVersion === 'string' && obj.metadata?.name) {
        out.push({ ...obj, __file: label });
      }
    }
  }
  return out;
}
