// The releases a chart renders for. The feature table (features.ts) and its checks are internal.
export * from './release-version';
export * from './versions';
export * from './mesh-target';
