import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';
import { DEFAULT_WORKLOAD_RESOURCES, WorkloadResources } from './workload-resources';

// A docker image reference: [registry[:port]/]path[:tag][@digest]
const IMAGE_REFERENCE = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** @internal */
export function validateImage(scope: Construct, prop: string, image: string): string {
  if (typeof image !== 'string' || image.length === 0) {
    fail(scope, prop, `is required, got ${quote(image)}`, 'pass an image reference such as "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3"');
  }
  if (image.length > 255 || !IMAGE_REFERENCE.test(image)) {
    fail(scope, prop, `is not a valid image reference, got ${quote(image)}`, 'use [registry/]repository[:tag][@sha256:digest] in lower case, e.g. "docker.io/library/nginx:1.27"');
  }
  return image;
}

/** @internal */
export function validateResources(scope: Construct, prop: string, r: WorkloadResources): Required<WorkloadResources> {
  const out = { ...DEFAULT_WORKLOAD_RESOURCES, ...r };
  validatePositiveInt(scope, `${prop}.cpuRequestMillis`, out.cpuRequestMillis, { max: 1_000_000 });
  validatePositiveInt(scope, `${prop}.cpuLimitMillis`, out.cpuLimitMillis, { max: 1_000_000 });
  if (out.cpuRequestMillis > out.cpuLimitMillis) {
    fail(scope, `${prop}.cpuRequestMillis`, `(${out.cpuRequestMillis}m) exceeds the limit (${out.cpuLimitMillis}m)`, 'request at most the limit');
  }
  for (const key of ['memoryRequest', 'memoryLimit'] as const) {
    if (!(out[key] instanceof Size)) fail(scope, `${prop}.${key}`, `must be a Size, got ${quote(out[key])}`, 'use Size.mebibytes(256)');
  }
  if (out.memoryRequest.toKibibytes() > out.memoryLimit.toKibibytes()) {
    fail(scope, `${prop}.memoryRequest`, `(${out.memoryRequest.toMebibytes()}Mi) exceeds the limit (${out.memoryLimit.toMebibytes()}Mi)`, 'request at most the limit');
  }
  return out;
}

/** @internal */
export function validateEnv(scope: Construct, prop: string, env: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_NAME.test(k)) fail(scope, `${prop}`, `has an invalid variable name ${quote(k)}`, 'use letters, digits, "_", "-" and ".", not starting with a digit');
    if (typeof v !== 'string') fail(scope, `${prop}.${k}`, `must be a string, got ${quote(v)}`, `quote the value, e.g. ${quote(String(v))}`);
  }
  return { ...env }; // in the order given, so that $(VAR) references keep working
}

/** @internal */
export function validateArgs(scope: Construct, prop: string, args: string[] | undefined): string[] | undefined {
  if (args === undefined) return undefined;
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    fail(scope, prop, `must be a list of strings, got ${quote(args)}`, "pass e.g. ['prod:webapp']");
  }
  return [...args];
}

/** @internal */
export function validateDirectories(scope: Construct, prop: string, dirs: string[]): Array<{ path: string; name: string }> {
  const out: Array<{ path: string; name: string }> = [];
  for (const path of dirs) {
    if (typeof path !== 'string' || !/^\/[^\s:]*$/.test(path) || path === '/') {
      fail(scope, prop, `must list absolute directories other than "/", got ${quote(path)}`, 'pass e.g. ["/tmp"]');
    }
    const name = path.replace(/^\/+|\/+$/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '') || 'scratch';
    if (out.some((d) => d.name === name || d.path === path)) fail(scope, prop, `lists ${quote(path)} twice`, 'list each directory once');
    out.push({ path, name });
  }
  return out;
}
