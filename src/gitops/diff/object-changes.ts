import { Manifest } from '../../analysis/manifest';
import { objectIdentity } from '../../core/object-identity';

/** What happened to an object (or to one field of a changed object) between two outputs. */
export enum ChangeType {
  /** Only in the new output: the sync creates it. */
  ADDED = 'added',
  /** Only in the old output: the sync prunes it (deletes it when pruning is on). */
  REMOVED = 'removed',
  /** In both, with different content: the sync applies the new one. */
  CHANGED = 'changed',
}

/** One changed field of an object, as a JSON pointer (RFC 6901). */
export interface FieldChange {
  readonly operation: ChangeType;
  /** e.g. `/spec/http/0/route/1/weight` */
  readonly pointer: string;
}

/** One object that differs between two outputs, named by apiVersion, kind, namespace and name. */
export interface ObjectChange {
  readonly change: ChangeType;
  /** The new apiVersion (the old one for a removed object). */
  readonly apiVersion: string;
  readonly kind: string;
  /** @default - cluster-scoped, or no namespace written */
  readonly namespace?: string;
  readonly name: string;
  /** `Kind namespace/name`, as in analysis findings. */
  readonly resource: string;
  /** @default - not in the old output, or not read from a file */
  readonly oldFile?: string;
  /** @default - not in the new output, or not read from a file */
  readonly newFile?: string;
  /** The changed fields of a changed object, sorted and capped (see `omittedFields`); empty for added and removed objects. */
  readonly fields: FieldChange[];
  /** How many changed fields the cap left out of `fields`. */
  readonly omittedFields: number;
}

/** An object of both outputs, paired by identity (API group, kind, namespace, name). */
export interface PairedObject {
  readonly key: string;
  readonly old?: Manifest;
  readonly new?: Manifest;
}

/** Fields the API server or a client owns, never a change a commit makes. */
const IGNORED = new Set(['/status', '/metadata/creationTimestamp', '/metadata/resourceVersion', '/metadata/uid', '/metadata/generation', '/metadata/managedFields']);

/**
 * The identity of a manifest in a cluster (versions of one kind are one object), in the namespace
 * it ends up in; throws when two objects of one output share it, since only one of them is applied.
 */
export function indexByIdentity(manifests: Manifest[], defaultNamespace: string, side: string): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const m of manifests) {
    const key = identityOf(m, defaultNamespace);
    const earlier = out.get(key);
    if (earlier) {
      const where = [earlier.__file, m.__file].filter((f) => f).join(' and ');
      throw new Error(`the ${side} output holds ${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name} twice${where ? ` (${where})` : ''}. `
        + 'Fix: diff the folder of one Argo CD Application at a time (one environment or cluster), whose objects are applied together');
    }
    out.set(key, m);
  }
  return out;
}

/** `group/Kind namespace/name` of a manifest (see objectIdentity). */
export function identityOf(m: Manifest, defaultNamespace: string): string {
  return objectIdentity(m.apiVersion, m.kind, m.metadata.namespace ?? defaultNamespace, m.metadata.name);
}

/** Every object of either output, paired by identity, sorted by identity. */
export function pairObjects(oldObjects: Map<string, Manifest>, newObjects: Map<string, Manifest>): PairedObject[] {
  const keys = [...new Set([...oldObjects.keys(), ...newObjects.keys()])].sort();
  return keys.map((key) => ({ key, old: oldObjects.get(key), new: newObjects.get(key) }));
}

/** The change a pair makes, or undefined when both sides hold the same content. */
export function changeOf(pair: PairedObject, maxFields: number): ObjectChange | undefined {
  const m = (pair.new ?? pair.old)!;
  const base = {
    apiVersion: m.apiVersion, kind: m.kind, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}), name: m.metadata.name,
    resource: `${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`,
    ...(pair.old?.__file ? { oldFile: pair.old.__file } : {}), ...(pair.new?.__file ? { newFile: pair.new.__file } : {}),
  };
  if (!pair.old) return { change: ChangeType.ADDED, ...base, fields: [], omittedFields: 0 };
  if (!pair.new) return { change: ChangeType.REMOVED, ...base, fields: [], omittedFields: 0 };
  const fields: FieldChange[] = [];
  diffValues(withoutFile(pair.old), withoutFile(pair.new), '', fields);
  if (fields.length === 0) return undefined;
  fields.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
  return { change: ChangeType.CHANGED, ...base, fields: fields.slice(0, maxFields), omittedFields: Math.max(0, fields.length - maxFields) };
}

function withoutFile(m: Manifest): any {
  const { __file, ...rest } = m;
  return rest;
}

/** Appends the leaf-most differences of two JSON values (lists compared index by index). */
function diffValues(a: any, b: any, pointer: string, out: FieldChange[]): void {
  if (IGNORED.has(pointer)) return;
  if (a === undefined && b === undefined) return;
  if (a === undefined) { out.push({ operation: ChangeType.ADDED, pointer }); return; }
  if (b === undefined) { out.push({ operation: ChangeType.REMOVED, pointer }); return; }
  const bothLists = Array.isArray(a) && Array.isArray(b);
  const bothObjects = !Array.isArray(a) && !Array.isArray(b) && isObject(a) && isObject(b);
  if (bothLists) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], `${pointer}/${i}`, out);
  } else if (bothObjects) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) diffValues(a[k], b[k], `${pointer}/${escapePointer(k)}`, out);
  } else if (a !== b) {
    out.push({ operation: ChangeType.CHANGED, pointer });
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
