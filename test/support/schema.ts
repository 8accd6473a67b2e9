import { spawnSync } from 'child_process';
import * as path from 'path';

/** What the schema validator found. */
export interface SchemaReport {
  /** Objects validated against a schema. */
  readonly checked: number;
  /** Objects of kinds no npm schema package covers (Linkerd); kube-validate checks them in CI. */
  readonly unchecked: string[];
  readonly invalid: Array<{ object: string; errors: string[] }>;
}

/**
 * Validates manifests against the CRD and Kubernetes schemas shipped by the kubernetes-models
 * packages, in a child process (they are ESM-only). Needs no ../shared, so it runs on any clone.
 */
export function validateSchemas(objects: unknown[]): SchemaReport {
  const script = path.join(__dirname, 'validate-schemas.mjs');
  const r = spawnSync(process.execPath, [script], { input: JSON.stringify(objects), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`schema validator failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Collects the manifests of a test file's scenarios so that one last test validates them all in a
 * single child process.
 */
export class SchemaBatch {
  private readonly scenarios: Array<{ name: string; objects: unknown[] }> = [];

  public add(name: string, objects: any[]): any[] {
    this.scenarios.push({ name, objects });
    return objects;
  }

  public get size(): number {
    return this.scenarios.length;
  }

  /** Validates everything added; returns `scenario: object: error` lines (empty when all are valid). */
  public problems(): string[] {
    const all = this.scenarios.flatMap((s) => s.objects.map((o) => ({ s: s.name, o })));
    const report = validateSchemas(all.map((x) => x.o));
    return report.invalid.map((i) => `${i.object}: ${i.errors.join('; ')}`);
  }
}
