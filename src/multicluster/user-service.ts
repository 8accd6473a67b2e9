import { ApiObject } from 'cdk8s';
import { fail, quote } from '../core/errors';

/**
 * Adds the mesh's annotations to the user's Service, which stays one object with one owner (the
 * user's chart). A value the user set differently, or a deprecated key the mesh replaces (by the
 * current key), is refused rather than overwritten. Adding what is already there is a no-op.
 */
export function annotateUserService(where: string, service: ApiObject, annotations: Record<string, string>, replaced: Record<string, string> = {}): void {
  const current: Record<string, string> = service.toJson().metadata?.annotations ?? {};
  for (const [key, value] of Object.entries(annotations)) {
    if (current[key] !== undefined && current[key] !== value) {
      fail(where, `annotations[${quote(key)}]`, `is ${quote(current[key])} on the Service ${service.node.path}, but the mesh needs ${quote(value)}`, 'remove the annotation from the Service: the multi-cluster mesh writes it');
    }
    const old = replaced[key];
    if (old !== undefined && current[old] !== undefined) {
      fail(where, `annotations[${quote(old)}]`, `is set on the Service ${service.node.path}: the deprecated form of ${quote(key)}, which the mesh writes`, 'remove the deprecated annotation');
    }
    service.metadata.addAnnotation(key, value);
  }
}
