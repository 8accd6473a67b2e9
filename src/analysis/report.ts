import { Finding, Severity } from './finding';
import { Manifest } from './manifest';
import type { ManifestIndex } from './manifest-index';

/** A finding about `m`, labelled `Kind namespace/name` and carrying the file it came from. */
export function findingAbout(index: ManifestIndex, m: Manifest, code: string, severity: Severity, message: string): Finding {
  const file = m.__file;
  return file ? { code, severity, resource: index.idOf(m), message, file } : { code, severity, resource: index.idOf(m), message };
}

const SEVERITY_ORDER: Record<string, number> = { [Severity.ERROR]: 0, [Severity.WARNING]: 1, [Severity.INFO]: 2 };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Findings in a stable order: severity (errors first), code, resource, file, message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9)
    || cmp(a.code, b.code) || cmp(a.resource, b.resource) || cmp(a.file ?? '', b.file ?? '') || cmp(a.message, b.message));
}

/** `a, b and c` */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `{app=reviews, version=v1}` */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}
