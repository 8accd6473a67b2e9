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
  /**
   * The delegate is rendered here (Istio only), for a controller that edits a VirtualService it is
   * given rather than generating one (Argo Rollouts): it holds the table's default route, by its
   * name, with the default route's destinations only; the delegating route carries the default
   * route's timeout, retries, fault, mirror and rewrite, which Istio applies to every route of the
   * delegate that sets none (pilot/pkg/model/virtualservice.go mergeHTTPRoute). The root and the
   * delegate are then rendered whether or not the table has routes of its own.
   */
  readonly rendersDelegate?: boolean;
}
