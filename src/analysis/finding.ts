/** How serious a finding is. Errors fail a synth and the CLI. */
export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
}

/** One problem found in a set of manifests. */
export interface Finding {
  /** The `istioctl analyze` code where one exists (`IST0101`), else a `MESH` code of this library. */
  readonly code: string;
  readonly severity: Severity;
  /** `Kind namespace/name` of the object the finding is about. */
  readonly resource: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The file the object came from, when analyzing files. */
  readonly file?: string;
}

/** Formats a finding as one line: `error IST0101 VirtualService default/reviews: ...`. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.code} ${f.resource}${f.file ? ` (${f.file})` : ''}: ${f.message}`;
}
