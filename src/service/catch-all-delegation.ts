// Internal to the library (not exported from the index): what MeshService._delegateCatchAll takes.
/**
 * Where the requests that no route of a service's table selects go instead of the Service: a
 * VirtualService that a controller generates without hosts (Istio delegation).
 */
export interface CatchAllDelegation {
  /** The name of the service's own (root) VirtualService, which must differ from the delegate's. */
  readonly rootName: string;
  /** The name of the delegating route (Istio names the merged routes after it). */
  readonly routeName: string;
  /** The delegate VirtualService, in the service's namespace. */
  readonly delegateName: string;
}
