/**
 * The check that no credentials reach the output, shared by the multi-cluster tests: the mesh
 * writes no Secret and no secret material (the Links' and ClusterMesh credentials come from the
 * mesh's own commands, never from the files).
 */

/** Keys that hold secret material in a manifest: a Secret's (or ConfigMap's) `data` and `stringData`. */
export const SECRET_DATA_KEYS: readonly string[] = ['data', 'stringData'];

/** The keys above and those of TLS material (`key`, `cert`, `ca`), for values files that configure mTLS. */
export const TLS_MATERIAL_KEYS: readonly string[] = [...SECRET_DATA_KEYS, 'key', 'cert', 'ca'];

/** The path of every object key in `keys`, at any depth of `value` (empty when there is none). */
export function secretFields(value: unknown, where: string, keys: readonly string[] = SECRET_DATA_KEYS): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretFields(v, `${where}[${i}]`, keys));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...(keys.includes(k) ? [`${where}.${k}`] : []), ...secretFields(v, `${where}.${k}`, keys)]);
  }
  return [];
}

/** Every Secret (`Secret/<name>`) and every secret field (`<Kind>/<name>.<path>`) of the manifests. */
export function secretsIn(objects: any[], keys: readonly string[] = SECRET_DATA_KEYS): string[] {
  return objects.flatMap((o) => {
    const where = `${o.kind}/${o.metadata?.name}`;
    return [...(o.kind === 'Secret' ? [`${where} is a Secret`] : []), ...secretFields(o, where, keys)];
  });
}
