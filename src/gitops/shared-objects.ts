import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import { ArgoCdDestination } from './argo-cd-destination';
import { groupOf, isClusterScoped } from './output-objects';

/** The objects one Argo CD Application applies, and where. */
export interface AppliedSet {
  readonly application: string;
  readonly destination: ArgoCdDestination;
  readonly scope: IConstruct;
}

/**
 * Throws when two Applications apply the same object (kind, namespace, name) to the same cluster:
 * the two environments would overwrite each other, and with FailOnSharedResource=true Argo CD fails
 * the second's sync. Clusters are compared as named (a server URL and a cluster name that are the
 * same cluster are not recognized).
 */
export function checkNoSharedObjects(where: string, sets: AppliedSet[]): void {
  const owner = new Map<string, string>();
  for (const set of sets) {
    const cluster = set.destination.cluster;
    for (const o of set.scope.node.findAll().filter(ApiObject.isApiObject)) {
      const json = o.toJson();
      const namespace = isClusterScoped(o.apiVersion, o.kind) ? '' : json.metadata?.namespace ?? set.destination.namespace ?? '';
      const resource = `${o.kind}${groupOf(o.apiVersion) ? `.${groupOf(o.apiVersion)}` : ''} ${namespace ? `${namespace}/` : ''}${json.metadata?.name}`;
      const key = `${cluster}\u0000${resource}`;
      const other = owner.get(key);
      if (other !== undefined && other !== set.application) {
        fail(where, 'environments', `apply ${resource} to the cluster ${quote(cluster)} from two Applications, ${quote(other)} and ${quote(set.application)}`,
          'give each environment its own namespaces (or cluster): the two would overwrite each other, and Argo CD fails the second sync (FailOnSharedResource)');
      }
      owner.set(key, set.application);
    }
  }
}
