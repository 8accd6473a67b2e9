// Internal to the library (not exported from the index): what MeshService._delegateCatchAll takes.
/**
 * Where the requests that no route of a service's table selects go instead of the Service: a route
 * that a controller generates, a VirtualService without hosts (Istio delegation) or an HTTPRoute on
 * the same Service parent (GAMMA, which merges the rules of every HTTPRoute of one parent).
 */
export interface CatchAllDelegation {
  /** The name of the service's own (root) VirtualService or main HTTPRoute, which must differ from the delegate's. */
  readonly rootName: string;
  /** The name of the delegating route (Istio names the merged routes after it; GAMMA has none). */
  readonly routeName: string;
  /** The delegate VirtualService or HTTPRoute, in the service's namespace. */
  readonly delegateName: string;
}
