import { IConstruct } from 'constructs';

/**
 * A configuration error caught at synth time.
 *
 * Every message names where the problem is (a construct path or a value type), the prop, the bad
 * value and how to fix it, e.g.
 * `Bookinfo/reviews: weights must sum to 100, got 95 (v1=80, v2=15). Fix: ...`.
 *
 * TypeScript and JavaScript only (`@jsii ignore`: jsii cannot represent a subclass of `Error`).
 * Python, Java and Go receive the same message through the jsii runtime, as a `RuntimeError`
 * (Python), a `software.amazon.jsii.JsiiError` (Java) or a panic carrying an `error` (Go); the
 * message is all a caller needs, since it names the construct path, the prop and the fix.
 *
 * @jsii ignore
 */
export class MeshConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'MeshConfigError';
  }
}

/** Where an error happened: a construct (its path is used) or a free-form label such as `Match.header`. */
export type ErrorSource = IConstruct | string;

function describe(source: ErrorSource): string {
  if (typeof source === 'string') return source;
  return source.node.path || source.node.id || '<root>';
}

/**
 * Throws a {@link MeshConfigError} of the form `<where>: <prop> <problem>. Fix: <fix>`.
 */
export function fail(source: ErrorSource, prop: string, problem: string, fix: string): never {
  throw new MeshConfigError(`${describe(source)}: ${prop} ${problem}. Fix: ${fix}`);
}

/** Quotes a user-supplied value for an error message. */
export function quote(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'node' in value) return `<construct ${describe(value as IConstruct)}>`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // circular structures
  }
}

/**
 * Describes a wrong value for an error message: class instances (constructs, value objects) by
 * their class name, plain values as JSON.
 */
export function describeValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && value.constructor !== Object && value.constructor !== Array) return `a ${value.constructor.name}`;
  return quote(value);
}

/** What cdk8s prefixes to an error thrown while it serializes an object (inside a Lazy producer). */
const SERIALIZATION_WRAPPER = /^Failed serializing construct at path '[^']*' with name '[^']*': MeshConfigError: /;

/**
 * Runs `render` (a chart's serialization) and rethrows a MeshConfigError that cdk8s wrapped into a
 * plain Error while serializing an object as the MeshConfigError it was, with its message.
 */
export function keepMeshConfigErrors<T>(render: () => T): T {
  try {
    return render();
  } catch (e) {
    if (e instanceof Error && !(e instanceof MeshConfigError) && SERIALIZATION_WRAPPER.test(e.message)) {
      throw new MeshConfigError(e.message.replace(SERIALIZATION_WRAPPER, ''));
    }
    throw e;
  }
}

/**
 * Runs `build`, which makes a value object on the user's behalf (a conversion, a preset), and
 * rethrows its MeshConfigError with the construct path and the prop the user set in front, so
 * the error names what the user wrote and not only a class they never used.
 */
export function withContext<T>(source: ErrorSource, prop: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof MeshConfigError) throw new MeshConfigError(`${describe(source)}: ${prop}: ${e.message}`);
    throw e;
  }
}
