export { SyncWave } from './sync-wave-table';
export * from './argo-cd-sync-waves';
export * from './argo-cd-ignore-rules';
export * from './argo-cd-destination';
export * from './argo-cd-sync-policy';
export { ArgoCdApplication, ArgoCdApplicationProps } from './argo-cd-application';
export * from './argo-cd-project';
export { Environment, EnvironmentProps, IEnvironmentBuilder, IMultiClusterEnvironmentBuilder } from './environment';
export * from './gitops-environments';
