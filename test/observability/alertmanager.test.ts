import { Duration, Testing } from 'cdk8s';
import { AlertMatcher, AlertmanagerConfig, AlertRouting, Receiver } from '../../src/observability';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const slack = (name: string, channel: string) => Receiver.slack(name, { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel });
const pager = (name: string, key: string) => Receiver.pagerDuty(name, { routingKey: { secretName: 'alertmanager-pagerduty', key } });

describe('AlertmanagerConfig', () => {
  test('receivers refer to Secrets; routes use matchers; inhibition uses sourceMatch/targetMatch/equal', () => {
    const c = meshChart();
    const am = new AlertmanagerConfig(c, 'routing', { defaultReceiver: slack('default', '#alerts'), groupBy: ['alertname', 'service'], groupWait: Duration.seconds(30), repeatInterval: Duration.hours(4) });
    am.addReceiver(pager('oncall', 'routing-key'));
    am.addReceiver(Receiver.webhook('hook', { urlSecret: { secretName: 'alertmanager-webhook', key: 'url' }, sendResolved: false }));
    am.addReceiver(Receiver.none('blackhole'));
    am.addRoute({ matchers: [AlertMatcher.equals('severity', 'critical')], receiver: 'oncall', groupWait: Duration.seconds(10), continue: true });
    am.addRoute({ matchers: [AlertMatcher.regex('alertname', 'Watchdog|InfoInhibitor')], receiver: 'blackhole' });
    am.addRoute({ matchers: [AlertMatcher.notEquals('team', ''), AlertMatcher.notRegex('service', 'test-.*')], receiver: 'hook' });
    am.addInhibitRule({ sourceMatchers: [AlertMatcher.equals('severity', 'critical')], targetMatchers: [AlertMatcher.equals('severity', 'warning')], equal: ['namespace', 'service'] });
    const [o] = batch.add('config', Testing.synth(c)) as any[];
    expect(o.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(o.spec.receivers).toEqual([
      { name: 'default', slackConfigs: [{ apiURL: { name: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts', sendResolved: true }] },
      { name: 'oncall', pagerdutyConfigs: [{ routingKey: { name: 'alertmanager-pagerduty', key: 'routing-key' }, sendResolved: true }] },
      { name: 'hook', webhookConfigs: [{ urlSecret: { name: 'alertmanager-webhook', key: 'url' }, sendResolved: false }] },
      { name: 'blackhole' },
    ]);
    expect(o.spec.route).toEqual({
      receiver: 'default',
      groupBy: ['alertname', 'service'],
      groupWait: '30s',
      repeatInterval: '4h',
      routes: [
        { receiver: 'oncall', matchers: [{ name: 'severity', value: 'critical' }], groupWait: '10s', continue: true },
        { receiver: 'blackhole', matchers: [{ name: 'alertname', value: 'Watchdog|InfoInhibitor', matchType: '=~' }] },
        { receiver: 'hook', matchers: [{ name: 'team', value: '', matchType: '!=' }, { name: 'service', value: 'test-.*', matchType: '!~' }] },
      ],
    });
    expect(o.spec.inhibitRules).toEqual([{
      sourceMatch: [{ name: 'severity', value: 'critical' }],
      targetMatch: [{ name: 'severity', value: 'warning' }],
      equal: ['namespace', 'service'],
    }]);
    // No credentials, and never the deprecated match/regex forms.
    const yaml = JSON.stringify(o);
    expect(yaml).not.toMatch(/"match"|"regex"|hooks\.slack\.com|https?:\/\//);
  });

  test('validation', () => {
    const c = meshChart();
    const am = new AlertmanagerConfig(c, 'routing', { defaultReceiver: slack('default', '#alerts') });
    expect(() => am.addReceiver(slack('default', '#other'))).toThrow(/already has a receiver named "default"/);
    expect(() => am.addRoute({ matchers: [], receiver: 'default' })).toThrow(/routes\[0\].matchers must list at least one matcher/);
    expect(() => am.addRoute({ matchers: [AlertMatcher.equals('a', 'b')], receiver: 'default', groupBy: ['...', 'service'] })).toThrow(/mixes "..." with labels/);
    expect(() => am.addRoute({ matchers: [AlertMatcher.equals('a', 'b')], receiver: 'default', groupBy: ['a', 'a'] })).toThrow(/groupBy repeats a label/);
    expect(() => am.addInhibitRule({ sourceMatchers: [], targetMatchers: [AlertMatcher.equals('a', 'b')], equal: [] })).toThrow(/sourceMatchers must list at least one matcher/);
    expect(() => AlertMatcher.equals('bad-label', 'x')).toThrow(/label must be a label name/);
    expect(() => AlertMatcher.equalTo('bad-label', 'x')).toThrow(/label must be a label name/);
    expect(AlertMatcher.equalTo('severity', 'critical').toConfig()).toEqual(AlertMatcher.equals('severity', 'critical').toConfig());
    expect(() => AlertMatcher.regex('a', '(')).toThrow(/value is not a valid RE2 expression \(the regex dialect of Alertmanager \(Go regexp\)\)/);
    expect(() => Receiver.slack('s', { apiUrl: { secretName: 'Bad_Secret', key: 'url' } })).toThrow(/secretName/);
    expect(() => Receiver.slack('s', { apiUrl: { secretName: 'slack', key: 'bad key' } })).toThrow(/apiUrl.key must be a Secret data key/);
    expect(() => Receiver.slack('s', { apiUrl: { secretName: 'slack', key: 'url' }, channel: 'has space' })).toThrow(/channel must be a Slack channel/);
  });

  test('email receiver: emailConfigs with the SMTP password by Secret reference only', () => {
    const c = meshChart();
    const am = new AlertmanagerConfig(c, 'mail', { defaultReceiver: Receiver.email('sre-mail', { to: 'sre@example.com' }) });
    am.addReceiver(Receiver.email('full', {
      to: 'oncall@example.com, sre@example.org', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587',
      authUsername: 'alertmanager@example.com', authPassword: { secretName: 'alertmanager-smtp', key: 'password' }, requireTls: true, sendResolved: false,
    }));
    am.addReceiver(Receiver.email('ip', { to: 'a@example.com', smarthost: '[2001:db8::25]:25' }));
    const [o] = batch.add('email', Testing.synth(c)) as any[];
    expect(o.spec.receivers).toEqual([
      { name: 'sre-mail', emailConfigs: [{ to: 'sre@example.com', sendResolved: true }] },
      { name: 'full', emailConfigs: [{
        to: 'oncall@example.com, sre@example.org', from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587',
        authUsername: 'alertmanager@example.com', authPassword: { name: 'alertmanager-smtp', key: 'password' }, requireTLS: true, sendResolved: false,
      }] },
      { name: 'ip', emailConfigs: [{ to: 'a@example.com', smarthost: '[2001:db8::25]:25', sendResolved: true }] },
    ]);
    expect(o).toMatchSnapshot();
  });

  test('email receiver validation', () => {
    expect(() => Receiver.email('m', { to: 'not-an-address' })).toThrow(/Receiver.email: to must be one or more email addresses separated by commas, got "not-an-address"/);
    expect(() => Receiver.email('m', { to: 'a@example.com, b@' })).toThrow(/to must be one or more email addresses/);
    expect(() => Receiver.email('m', { to: 'a@example.com', from: 'a@example.com, b@example.com' })).toThrow(/from must be an email address, got "a@example.com, b@example.com"/);
    expect(() => Receiver.email('m', { to: 'a@example.com', smarthost: 'smtp.example.com' })).toThrow(/smarthost must be host:port with a port from 1 to 65535, got "smtp.example.com"/);
    expect(() => Receiver.email('m', { to: 'a@example.com', smarthost: 'smtp.example.com:70000' })).toThrow(/smarthost must be host:port/);
    expect(() => Receiver.email('m', { to: 'a@example.com', smarthost: 'smtp://x:25' })).toThrow(/smarthost must be host:port/);
    expect(() => Receiver.email('m', { to: 'a@example.com', authUsername: 'u' })).toThrow(/authUsername is given without its pair/);
    expect(() => Receiver.email('m', { to: 'a@example.com', authPassword: { secretName: 's', key: 'p' } })).toThrow(/authPassword is given without its pair/);
    expect(() => Receiver.email('m', { to: 'a@example.com', authUsername: ' ', authPassword: { secretName: 's', key: 'p' } })).toThrow(/authUsername must be a non-empty string/);
    expect(() => Receiver.email('m', { to: 'a@example.com', authUsername: 'u', authPassword: { secretName: 'Bad_Secret', key: 'p' } })).toThrow(/authPassword.secretName/);
  });

  test('a route to an unknown receiver fails at synth', () => {
    const c = meshChart();
    const am = new AlertmanagerConfig(c, 'routing', { defaultReceiver: slack('default', '#alerts') });
    am.addRoute({ matchers: [AlertMatcher.equals('severity', 'critical')], receiver: 'pager', routes: [{ matchers: [AlertMatcher.equals('team', 'a')], receiver: 'nobody' }] });
    expect(() => Testing.synth(c)).toThrow(/routes\[0\].receiver names "pager", which is not a receiver[\s\S]*routes\[0\].routes\[0\].receiver names "nobody"/);
  });
});

describe('AlertRouting', () => {
  test('routes by team then severity, groups by alert/namespace/service, critical inhibits warning per service', () => {
    const c = meshChart();
    const r = new AlertRouting(c, 'routing', {
      namespace: 'bookinfo',
      defaultReceiver: slack('mesh', '#mesh'),
      criticalReceiver: pager('mesh-oncall', 'routing-key'),
      teams: [
        { team: 'reviews', receiver: slack('reviews', '#reviews'), pageReceiver: pager('reviews-oncall', 'reviews-key') },
        { team: 'ratings', receiver: slack('ratings', '#ratings') },
      ],
    });
    const [o] = batch.add('routing', Testing.synth(c)) as any[];
    expect(r.config.receiverNames).toEqual(['mesh', 'reviews', 'reviews-oncall', 'ratings', 'mesh-oncall']);
    expect(o.metadata).toEqual({ name: 'mesh-alert-routing', namespace: 'bookinfo' });
    expect(o.spec.route).toMatchObject({ receiver: 'mesh', groupBy: ['alertname', 'namespace', 'service'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });
    expect(o.spec.route.routes).toEqual([
      { receiver: 'reviews', matchers: [{ name: 'team', value: 'reviews' }], routes: [{ receiver: 'reviews-oncall', matchers: [{ name: 'severity', value: 'critical' }] }] },
      { receiver: 'ratings', matchers: [{ name: 'team', value: 'ratings' }] },
      { receiver: 'mesh-oncall', matchers: [{ name: 'severity', value: 'critical' }] },
    ]);
    expect(o.spec.inhibitRules).toHaveLength(1);
    expect(o).toMatchSnapshot();
  });

  test('a team listed twice is refused; inhibition can be turned off', () => {
    const c = meshChart();
    expect(() => new AlertRouting(c, 'a', { namespace: 'x', defaultReceiver: slack('m', '#m'), teams: [{ team: 't', receiver: slack('t', '#t') }, { team: 't', receiver: slack('u', '#u') }] }))
      .toThrow(/teams\[1\].team "t" is listed twice/);
    const r = new AlertRouting(meshChart(), 'b', { namespace: 'x', defaultReceiver: slack('m', '#m'), inhibitWarningsOnCritical: false });
    expect(r.config._toKube().inhibitRules).toBeUndefined();
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
