// Public API of the diff between two outputs: the class and the structs it returns.
export { ChangeType, FieldChange, ObjectChange } from './object-changes';
export { UnsafeChange } from './unsafe-change';
export { MeshDiffSummary } from './diff-report';
export * from './mesh-diff';
