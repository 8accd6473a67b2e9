import { Construct } from 'constructs';
import type { MeshService } from '../../service/mesh-service';
import type { AllowEntry } from '../allow-entry';
import { callerPrincipal } from '../caller';
import { sortedUnique } from '../selector';
import { AuthorizationAction, AuthorizationPolicy } from './authorization-policy';
import { AuthorizationRule, RequestOperation, RequestSource } from './authorization-rule';

/**
 * Renders the allow rules for one target as one Istio ALLOW `AuthorizationPolicy`
 * (`names.authorizationPolicy`, by default the service's name), selecting its pods, with one rule per allow entry.
 */
export function renderIstioAllow(scope: Construct, target: MeshService, entries: () => AllowEntry[]): AuthorizationPolicy {
  const policy = new AuthorizationPolicy(scope, 'AuthorizationPolicy', {
    name: target._names.authorizationPolicy,
    namespace: target.namespace,
    selector: target.selector,
    action: AuthorizationAction.ALLOW,
  });
  policy._addRuleSource(() => entries().map(istioRule));
  return policy;
}

function istioRule(e: AllowEntry): AuthorizationRule {
  const callers = e.resolve();
  const principals = sortedUnique(callers.map(callerPrincipal).filter((p): p is string => p !== undefined));
  const namespaces = sortedUnique(callers.filter((c) => !c.serviceAccount).map((c) => c.namespace));
  const from: RequestSource[] = [];
  if (principals.length) from.push({ principals });
  if (namespaces.length) from.push({ namespaces });
  const operation: RequestOperation = {
    methods: e.methods?.length ? [...e.methods] : undefined,
    paths: e.paths?.length ? e.paths.flatMap((p) => p.toIstio()) : undefined,
    // authorization policies see workload (container) ports
    ports: e.allPorts ? undefined : [...new Set(e.ports.map((p) => p.targetPort))].sort((a, b) => a - b),
  };
  const hasOperation = Object.values(operation).some((v) => v !== undefined);
  return { from, to: hasOperation ? [operation] : undefined };
}
