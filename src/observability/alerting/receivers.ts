import { fail, quote } from '../../core/errors';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';

/** A key of a Kubernetes Secret in the AlertmanagerConfig's namespace. */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly secretName: string;
  /** The key within the Secret. */
  readonly key: string;
}

/** Options of a Slack receiver. */
export interface SlackReceiverOptions {
  /** The Secret key holding the incoming-webhook URL. */
  readonly apiUrl: SecretKeyRef;
  /** @default - the webhook's channel */
  readonly channel?: string;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** Options of a PagerDuty receiver. */
export interface PagerDutyReceiverOptions {
  /** The Secret key holding the Events API v2 integration (routing) key. */
  readonly routingKey: SecretKeyRef;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** Options of a webhook receiver. */
export interface WebhookReceiverOptions {
  /** The Secret key holding the URL (URLs often embed tokens). */
  readonly urlSecret: SecretKeyRef;
  /** @default true */
  readonly sendResolved?: boolean;
}

function secretRef(where: string, prop: string, ref: SecretKeyRef): { name: string; key: string } {
  if (!ref || typeof ref !== 'object') fail(where, prop, `must be a Secret key reference, got ${quote(ref)}`, 'pass { secretName: "alertmanager-slack", key: "url" }');
  validateDnsSubdomain(where, `${prop}.secretName`, ref.secretName);
  if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) fail(where, `${prop}.key`, `must be a Secret data key, got ${quote(ref.key)}`, 'pass e.g. "url"');
  return { name: ref.secretName, key: ref.key };
}

/**
 * Where Alertmanager sends notifications. Credentials always come from Secrets: the generated YAML
 * holds references, never URLs or keys.
 *
 * @example
 * Receiver.slack('team-bookinfo', { apiUrl: { secretName: 'alertmanager-slack', key: 'url' }, channel: '#bookinfo-alerts' })
 * Receiver.pagerDuty('oncall', { routingKey: { secretName: 'alertmanager-pagerduty', key: 'routing-key' } })
 */
export class Receiver {
  public static slack(name: string, options: SlackReceiverOptions): Receiver {
    const where = 'Receiver.slack';
    if (options.channel !== undefined && !/^[#@]?[\w.-]+$/.test(options.channel)) fail(where, 'channel', `must be a Slack channel such as "#alerts", got ${quote(options.channel)}`, 'pass e.g. "#alerts"');
    return new Receiver(name, where, {
      slackConfigs: [{ apiUrl: secretRef(where, 'apiUrl', options.apiUrl), channel: options.channel, sendResolved: options.sendResolved ?? true }],
    });
  }

  public static pagerDuty(name: string, options: PagerDutyReceiverOptions): Receiver {
    const where = 'Receiver.pagerDuty';
    return new Receiver(name, where, {
      pagerdutyConfigs: [{ routingKey: secretRef(where, 'routingKey', options.routingKey), sendResolved: options.sendResolved ?? true }],
    });
  }

  public static webhook(name: string, options: WebhookReceiverOptions): Receiver {
    const where = 'Receiver.webhook';
    return new Receiver(name, where, {
      webhookConfigs: [{ urlSecret: secretRef(where, 'urlSecret', options.urlSecret), sendResolved: options.sendResolved ?? true }],
    });
  }

  /** A receiver that notifies nobody (drops what is routed to it). */
  public static none(name: string): Receiver {
    return new Receiver(name, 'Receiver.none', {});
  }

  public readonly name: string;

  private constructor(name: string, where: string, private readonly configs: Record<string, unknown[]>) {
    this.name = validateDnsLabel(where, 'name', name);
  }

  /** @internal the receiver in the L1's (TypeScript) shape */
  public _toKube(): Record<string, unknown> {
    return { name: this.name, ...structuredClone(this.configs) };
  }
}
