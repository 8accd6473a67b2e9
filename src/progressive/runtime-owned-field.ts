/**
 * Fields of a rendered object that a controller changes at runtime (an automatic canary engine
 * rewrites route weights, subset labels, managed routes, replicas), so that a GitOps tool must not
 * revert them: Argo CD's `ignoreDifferences` entries (with `RespectIgnoreDifferences=true`) follow
 * from them one to one.
 */
export interface RuntimeOwnedField {
  /** The object's API group (`''` for the core group). */
  readonly group: string;
  /** The object's kind, e.g. `VirtualService`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** The object's namespace. */
  readonly namespace: string;
  /**
   * The owned fields as JSON pointers (RFC 6901), e.g. `/spec/replicas`.
   * @default - none; see jqPathExpressions
   */
  readonly jsonPointers?: string[];
  /**
   * The owned fields as jq path expressions (for fields inside lists, selected by name), e.g.
   * `.spec.http[] | select(.name == "primary") | .route[].weight`.
   * @default - none; see jsonPointers
   */
  readonly jqPathExpressions?: string[];
  /** Which controller changes them and why. */
  readonly reason: string;
}
