// Public API of the analysis: findings, the analyzers, the index they query, analyze() and the synth hook.
export * from './finding';
export * from './manifest';
export * from './manifest-queries';
export * from './analyzer';
export * from './indexed';
export * from './manifest-index';
export * from './hosts';
export * from './host-visibility';
export * from './selectors';
export * from './virtual-service-routes';
export * from './registry';
export * from './analyze';
export * from './analysis';
export * from './synth-analysis';
export * from './yaml-files';
