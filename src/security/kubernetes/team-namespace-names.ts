/**
 * The names of the objects a `TeamNamespace` renders besides the namespace's own baseline (named
 * with `namespace: { name, names }`). A RoleBinding takes its Role's name, and the
 * ValidatingAdmissionPolicyBinding its policy's.
 */
export interface TeamNamespaceNames {
  /**
   * The ResourceQuota.
   * @default `<ns>-quota`
   */
  readonly resourceQuota?: string;
  /**
   * The LimitRange with the container defaults.
   * @default `<ns>-defaults`
   */
  readonly limitRange?: string;
  /**
   * The members' editor Role and its RoleBinding.
   * @default `<ns>-editor`
   */
  readonly editorRole?: string;
  /**
   * The readers' Role and its RoleBinding.
   * @default `<ns>-reader`
   */
  readonly readerRole?: string;
  /**
   * The ValidatingAdmissionPolicy protecting platform-owned objects, and its binding
   * (cluster-scoped: the name must be unique in the cluster).
   * @default `<ns>-platform-owned`
   */
  readonly protectionPolicy?: string;
}
