import { fail, quote } from '../../core/errors';

/** The `severity` label of an alert; Alertmanager routes and inhibits on it. */
export enum AlertSeverity {
  /** Someone must act now (page). */
  CRITICAL = 'critical',
  /** Someone must act soon (ticket). */
  WARNING = 'warning',
  /** For dashboards and context only. */
  INFO = 'info',
}

/** Options shared by the alerts this library generates. */
export interface AlertCommonOptions {
  /**
   * The base URL of your runbooks; each alert gets `runbook_url: <base>/<AlertName>`.
   * @default - no runbook_url annotation
   */
  readonly runbookBaseUrl?: string;
  /**
   * The owning team, added as the `team` label (Alertmanager routes on it).
   * @default - no team label
   */
  readonly team?: string;
  /**
   * Extra labels for every alert.
   * @default - none
   */
  readonly alertLabels?: Record<string, string>;
}

/** Validates a runbook base URL and returns it without a trailing slash. */
export function validateRunbookBaseUrl(source: string | import('constructs').IConstruct, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^https?:\/\/[^\s/$.?#][^\s]*$/.test(value)) {
    fail(source, 'runbookBaseUrl', `must be an http(s) URL, got ${quote(value)}`, 'pass e.g. "https://runbooks.example.com/mesh"');
  }
  return value.replace(/\/+$/, '');
}

/** The runbook annotation for an alert, if a base URL is set. */
export function runbookAnnotation(base: string | undefined, alert: string): Record<string, string> {
  return base ? { runbook_url: `${base}/${alert}` } : {};
}
