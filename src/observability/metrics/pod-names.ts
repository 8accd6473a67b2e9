import type { MeshService } from '../../service/mesh-service';

/** What a Deployment appends to its name for a pod: `-<ReplicaSet hash>-<5 characters>`. */
const POD_SUFFIX = '(-.+)?-[a-z0-9]+-[a-z0-9]{5}';

/**
 * The default regex of a service's pod names (container metrics carry pod names, not labels):
 * pods of Deployments named `<service>` or `<service>-...`, and of the Deployments ServiceWorkloads
 * declared under other names (`versions[].deploymentName`).
 * @internal
 */
export function defaultPodNameRegex(service: MeshService): string {
  const others = uncoveredDeployments(`${service.serviceName}${POD_SUFFIX}`, service);
  const prefixes = [service.serviceName, ...others].map((n) => n.replace(/\./g, '\\.'));
  return `${prefixes.length === 1 ? prefixes[0] : `(${prefixes.join('|')})`}${POD_SUFFIX}`;
}

/** The service's declared Deployments whose pods `regex` does not match (checked on a sample pod name). @internal */
export function uncoveredDeployments(regex: string, service: MeshService): string[] {
  const re = new RegExp(`^(?:${regex})$`);
  return service._declaredDeploymentNames.filter((n) => !re.test(`${n}-5d4f8b7c9-x2k9p`));
}
