// Progressive delivery: the canary analysis and the engines that move a CanaryService through its
// stages at runtime (the Argo Rollouts renderer is internal to CanaryService).
export * from './canary-analysis';
export * from './canary-engine';
export * from './canary-queries';
export * from './runtime-owned-field';
