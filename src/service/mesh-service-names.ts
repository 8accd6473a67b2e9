/**
 * The names of the objects rendered for a {@link MeshService}, for teams that keep the names of
 * existing objects (migrating from YAML, or beside objects that other tools own). Each is checked
 * against its kind's rules when the service is created, and against every other object of the
 * charts applied together at synth. Objects that point at them (policies' targets, backends) follow.
 *
 * The Kubernetes Service itself is `serviceName` (also the mesh host), and a version's Service is
 * `addVersion(name, { serviceName })`.
 */
export interface MeshServiceNames {
  /**
   * The Istio VirtualService holding the service's routing table.
   * @default - the service name
   */
  readonly virtualService?: string;
  /**
   * The Istio DestinationRule holding the service's subsets and traffic policy.
   * @default - the service name
   */
  readonly destinationRule?: string;
  /**
   * The HTTPRoute holding the service's routing table (Gateway API, Linkerd, Cilium).
   * @default - the service name
   */
  readonly httpRoute?: string;
  /**
   * The ReferenceGrants that let the service's HTTPRoute forward to Services in other namespaces
   * (one in each such namespace, all with this name).
   * @default `<service>-from-<namespace>`
   */
  readonly referenceGrant?: string;
}
