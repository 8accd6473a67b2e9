import { IConstruct } from 'constructs';

/**
 * One validation pass of an app: the app-level check (object-identity.ts) runs every construct's
 * validations so that their errors lead, as MeshConfigErrors; when all pass, cdk8s goes on to call
 * each of them again in the same pass, and it runs a pass per chart it synthesizes.
 *
 * Validations the library registers with {@link addMeshValidation} compute once per pass: cdk8s's
 * call that follows the app-level run gets the result that run computed (always empty: the run
 * throws on any error). Work that several validations of a pass share (a walk of the whole app)
 * is computed once per pass with {@link oncePerPass}.
 */
interface Pass {
  readonly root: IConstruct;
  readonly shared: Map<object, unknown>;
}

let current: Pass | undefined;
/** Validations that passed in the app-level run and that cdk8s has not called since. */
let passed = new Set<object>();

/**
 * Runs the app-level validation of `root`: `validate` calls the constructs' validations. Their
 * passing results are kept for cdk8s's calls in the same pass (and dropped if `validate` throws,
 * or once the synchronous synth is over).
 */
export function runValidationPass<T>(root: IConstruct, validate: () => T): T {
  const outer = current;
  current = { root, shared: new Map() };
  passed = new Set();
  try {
    return validate();
  } catch (e) {
    passed = new Set();
    throw e;
  } finally {
    current = outer;
    const kept = passed;
    queueMicrotask(() => kept.clear());
  }
}

/**
 * Adds a validation to `scope` that runs once per validation pass of its app (see above). Use it
 * for validations that do real work; a plain `node.addValidation` is fine for a length check.
 */
export function addMeshValidation(scope: IConstruct, validate: () => string[]): void {
  const validation = {
    validate: (): string[] => {
      if (!current && passed.delete(validation)) return [];
      const errors = validate();
      if (current && errors.length === 0) passed.add(validation);
      return errors;
    },
  };
  scope.node.addValidation(validation);
}

/**
 * `compute()`, computed once per app-level validation pass of the app holding `scope` and shared
 * by the validations of that pass that ask with the same `key`; outside a pass, computed afresh.
 */
export function oncePerPass<T>(scope: IConstruct, key: object, compute: () => T): T {
  const pass = current;
  if (!pass || pass.root !== scope.node.root) return compute();
  if (!pass.shared.has(key)) pass.shared.set(key, compute());
  return pass.shared.get(key) as T;
}
