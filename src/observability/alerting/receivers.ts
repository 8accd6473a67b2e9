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

/** Options of an email receiver (prometheus-operator `emailConfigs`). */
export interface EmailReceiverOptions {
  /** The recipient address, or several separated by commas (`oncall@example.com, sre@example.com`). */
  readonly to: string;
  /**
   * The sender address.
   * @default - Alertmanager's global `smtp_from`
   */
  readonly from?: string;
  /**
   * The SMTP server as `host:port` (`smtp.example.com:587`).
   * @default - Alertmanager's global `smtp_smarthost`
   */
  readonly smarthost?: string;
  /**
   * The SMTP AUTH user name; give it with `authPassword`.
   * @default - no SMTP authentication (or Alertmanager's global `smtp_auth_username`)
   */
  readonly authUsername?: string;
  /**
   * The Secret key holding the SMTP AUTH password; give it with `authUsername`.
   * @default - no SMTP authentication (or Alertmanager's global `smtp_auth_password`)
   */
  readonly authPassword?: SecretKeyRef;
  /**
   * Require STARTTLS.
   * @default - Alertmanager's global `smtp_require_tls` (true unless changed)
   */
  readonly requireTls?: boolean;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** `local@domain`: no spaces, one @, a dotted domain name. */
const EMAIL = /^[^\s@<>,"]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
/** `host:port`: a DNS name, an IPv4 address or a bracketed IPv6 address, then a port. */
const SMARTHOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\]):([0-9]{1,5})$/;

function emailAddresses(where: string, prop: string, value: string, list: boolean): string {
  const parts = typeof value === 'string' ? (list ? value.split(',').map((a) => a.trim()) : [value]) : [];
  if (parts.length === 0 || parts.some((a) => !EMAIL.test(a))) {
    fail(where, prop, `must be ${list ? 'one or more email addresses separated by commas' : 'an email address'}, got ${quote(value)}`, `pass e.g. "${list ? 'oncall@example.com' : 'alertmanager@example.com'}"`);
  }
  return parts.join(', ');
}

function smarthost(where: string, value: string): string {
  const m = typeof value === 'string' ? SMARTHOST.exec(value) : null;
  const port = m ? Number(m[1]) : 0;
  if (!m || port < 1 || port > 65535) fail(where, 'smarthost', `must be host:port with a port from 1 to 65535, got ${quote(value)}`, 'pass e.g. "smtp.example.com:587"');
  return value;
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
 * Receiver.email('sre-mail', { to: 'sre@example.com', smarthost: 'smtp.example.com:587' })
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

  /**
   * Sends email through an SMTP server. The password comes from a Secret; the AlertmanagerConfig
   * holds only the reference.
   */
  public static email(name: string, options: EmailReceiverOptions): Receiver {
    const where = 'Receiver.email';
    if (!options || typeof options !== 'object') fail(where, 'options', `must be EmailReceiverOptions, got ${quote(options)}`, 'pass { to: "oncall@example.com" }');
    if ((options.authUsername === undefined) !== (options.authPassword === undefined)) {
      fail(where, options.authUsername === undefined ? 'authPassword' : 'authUsername', 'is given without its pair: SMTP AUTH needs both authUsername and authPassword', 'give both, or neither to send unauthenticated');
    }
    if (options.authUsername !== undefined && (typeof options.authUsername !== 'string' || options.authUsername.trim() === '')) {
      fail(where, 'authUsername', `must be a non-empty string, got ${quote(options.authUsername)}`, 'pass the SMTP user name, e.g. "alertmanager@example.com"');
    }
    return new Receiver(name, where, {
      emailConfigs: [{
        to: emailAddresses(where, 'to', options.to, true),
        from: options.from === undefined ? undefined : emailAddresses(where, 'from', options.from, false),
        smarthost: options.smarthost === undefined ? undefined : smarthost(where, options.smarthost),
        authUsername: options.authUsername,
        authPassword: options.authPassword === undefined ? undefined : secretRef(where, 'authPassword', options.authPassword),
        requireTls: options.requireTls,
        sendResolved: options.sendResolved ?? true,
      }],
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
