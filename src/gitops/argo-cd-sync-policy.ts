/**
 * How Argo CD syncs an Application. The defaults are what a careful platform team runs: Git is the
 * truth (automated sync, drift reverted, removed objects pruned), but never an empty app (Argo CD's
 * `allowEmpty: false` refuses to prune everything after a broken synth) and pruning happens last.
 */
export interface ArgoCdSyncPolicy {
  /**
   * Sync every new commit without a person pressing Sync. Turn off for an environment whose
   * changes a person approves in Argo CD (e.g. prod); `prune` and `selfHeal` then do not apply.
   * @default true
   */
  readonly automated?: boolean;
  /**
   * Delete the objects that are no longer in Git. Without it a route or policy removed from the code
   * stays in the cluster (a second VirtualService for a host, or an allow rule nobody sees).
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Revert changes made in the cluster outside Git (fields the ignore rules leave to a controller stay the controller's).
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * How often a failed sync is retried (backoff 5s, doubling, at most 3m): a sync can fail while a
   * webhook or a CRD it needs is still starting.
   * @default 5
   */
  readonly retryLimit?: number;
}
