export { SyncWave } from './sync-wave-table';
export * from './argo-cd-sync-waves';
export * from './argo-cd-ignore-rules';
