import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Validation passes of an app. The app-level check (object-identity.ts) runs every construct's
 * validations so that their errors lead, as MeshConfigErrors; when all pass, cdk8s goes on to call
 * each of them again in the same pass. And `App.synth()` runs a pass before writing and one more
 * per chart it renders (`Chart.toJson()` validates the whole app): 27 passes for bookinfo's 26
 * charts, over a tree that rendering does not change.
 *
 * So validations the library registers with {@link addMeshValidation} compute once per pass (cdk8s's
 * call after the app-level run gets the result that run computed: always empty, as the run throws
 * on any error), and once per `App.synth()` / `App.synthYaml()`: after a passing pass, the later
 * passes of the same synth reuse it. Work that several validations of a pass share (a walk of the
 * whole app) is computed once per pass with {@link oncePerPass}.
 */
interface Pass {
  readonly root: IConstruct;
  readonly shared: Map<object, unknown>;
}

interface AppState {
  /** Library validations that passed in the latest app-level run, for cdk8s's calls that follow. */
  passed: Set<object>;
  /** Nesting depth of `App.synth()` / `App.synthYaml()` calls on the app. */
  synthesizing: number;
  /** True once a pass of the current synth has passed. */
  validatedInSynth: boolean;
}

let current: Pass | undefined;
const states = new WeakMap<IConstruct, AppState>();

function stateOf(root: IConstruct): AppState {
  let s = states.get(root);
  if (!s) {
    s = { passed: new Set(), synthesizing: 0, validatedInSynth: false };
    states.set(root, s);
  }
  return s;
}

/**
 * Runs the app-level validation of `root` (`validate` calls the constructs' validations and throws
 * on any error), unless a pass of the same synth has already passed.
 */
export function runValidationPass(root: IConstruct, validate: () => void): string[] {
  const state = stateOf(root);
  if (state.synthesizing && state.validatedInSynth) return [];
  const outer = current;
  current = { root, shared: new Map() };
  const passed = new Set<object>();
  state.passed = passed;
  try {
    validate();
    if (state.synthesizing) state.validatedInSynth = true;
    return [];
  } catch (e) {
    passed.clear();
    throw e;
  } finally {
    current = outer;
    // outside a synth, kept only for the cdk8s calls of this synchronous validation
    if (!state.synthesizing) queueMicrotask(() => passed.clear());
  }
}

/**
 * Makes the passes of each `App.synth()` and `App.synthYaml()` of `app` after the first passing
 * one reuse it (rendering the charts does not change the tree). Idempotent per app.
 */
export function validateOncePerSynth(app: App): void {
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = app[method] as () => unknown;
    Object.defineProperty(app, method, {
      configurable: true,
      writable: true,
      value: function synthesize(this: App): unknown {
        const state = stateOf(app);
        state.synthesizing++;
        try {
          return original.call(this);
        } finally {
          if (--state.synthesizing === 0) {
            state.validatedInSynth = false;
            state.passed = new Set();
          }
        }
      },
    });
  }
}

/**
 * Adds a validation to `scope` that runs once per validation pass of its app (see above). Use it
 * for validations that do real work; a plain `node.addValidation` is fine for a length check.
 */
export function addMeshValidation(scope: IConstruct, validate: () => string[]): void {
  const validation = {
    validate: (): string[] => {
      if (!current) {
        const state = states.get(scope.node.root);
        if (state?.passed.has(validation)) {
          if (!state.synthesizing) state.passed.delete(validation);
          return [];
        }
      }
      const errors = validate();
      if (current && current.root === scope.node.root && errors.length === 0) stateOf(current.root).passed.add(validation);
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
