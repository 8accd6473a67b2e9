import fc from 'fast-check';
import { isLabelKey, isLabelValue, validateLabels } from '../../src/core/labels';
import { MeshConfigError } from '../../src/core/errors';
import { Mesh } from '../../src/core/mesh';
import { ObservabilityStack } from '../../src/observability';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { PeerAuthentication } from '../../src/security/istio/peer-authentication';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Telemetry } from '../../src/observability/telemetry/telemetry';
import { meshChart, reviewsService } from '../support/charts';

// Every label the API takes (object labels, selectors, monitorLabels, ruleLabels, namespace
// labels) goes through one validator: the API server's rules for label keys and values.

describe('one label validator everywhere the API takes labels', () => {
  const bad = { 'bad key!': 'x' };
  const badValue = { team: 'two words' };
  const cases: Array<[string, (labels: Record<string, string>) => unknown, string]> = [
    ['an L2\'s object labels', (l) => new PeerAuthentication(meshChart(), 'pa', { labels: l }), 'test/pa: labels'],
    ['a MeshService selector', (l) => new MeshService(meshChart(), 'svc', { ports: [ServicePort.http(80)], selector: l }), 'test/svc: selector'],
    ['version labels', (l) => new MeshService(meshChart(), 'svc', { ports: [ServicePort.http(80)] }).addVersion('v1', { labels: l }), 'test/svc: version v1 labels'],
    ['ServiceAlerts ruleLabels', (l) => { const c = meshChart(); new ServiceAlerts(c, 'alerts', { service: reviewsService(c), ruleLabels: l }); }, 'test/alerts: ruleLabels'],
    ['ObservabilityStack monitorLabels', (l) => { const c = meshChart(); new ObservabilityStack(c, 'obs', { services: [reviewsService(c)], monitorLabels: l }); }, 'test/obs: monitorLabels'],
    ['ObservabilityStack ruleLabels', (l) => { const c = meshChart(); new ObservabilityStack(c, 'obs', { services: [reviewsService(c)], ruleLabels: l }); }, 'test/obs: ruleLabels'],
    ['namespace labels', (l) => new StrictMtlsNamespace(meshChart(), 'ns', { labels: l }), 'test/ns: labels'],
    ['a Telemetry selector', (l) => new Telemetry(meshChart(), 'tel', { selector: l, accessLogging: {} }), 'test/tel: selector'],
  ];

  test.each(cases)('%s: a bad key', (_, build, where) => {
    expect(() => build(bad)).toThrow(MeshConfigError);
    expect(() => build(bad)).toThrow(`${where} has the invalid label key "bad key!"`);
  });

  test.each(cases)('%s: a bad value', (_, build, where) => {
    expect(() => build(badValue)).toThrow(`${where}.team must be a label value`);
    expect(() => build(badValue)).toThrow('Fix: use e.g. "two-words"');
  });

  test('valid labels still render (Linkerd chart, prefixed keys, empty values)', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new ObservabilityStack(c, 'obs', { services: [reviewsService(c)], monitorLabels: { 'prometheus.example.com/scrape': '' }, ruleLabels: { release: 'kube-prometheus-stack' } })).not.toThrow();
  });
});

describe('label syntax (property)', () => {
  const alnum = fc.constantFrom(...'abcXYZ019'.split(''));
  const middle = fc.constantFrom(...'aZ9-_.'.split(''));
  const name = fc.tuple(alnum, fc.array(middle, { maxLength: 20 }), alnum).map(([a, m, b]) => a + m.join('') + b);

  test('keys and values built by the grammar are accepted', () => {
    fc.assert(fc.property(name, name, fc.option(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,5})?$/), { nil: undefined }), (k, v, prefix) => {
      const key = prefix ? `${prefix}/${k}` : k;
      expect(isLabelKey(key)).toBe(true);
      expect(isLabelValue(v)).toBe(true);
      expect(validateLabels('t', 'labels', { [key]: v })).toEqual({ [key]: v });
    }));
  });

  test('anything with a character outside the grammar, over 63 characters, or starting or ending with a separator is refused', () => {
    const badValue = fc.oneof(
      fc.tuple(name, fc.constantFrom(' ', '/', ':', '!', 'é', '*'), name).map(([a, c, b]) => a + c + b),
      fc.string({ minLength: 64, maxLength: 80 }).map((s) => `a${s.replace(/[^a-z]/g, 'b')}`),
      name.map((n) => `-${n}`),
      name.map((n) => `${n}.`),
    );
    fc.assert(fc.property(badValue, (v) => {
      expect(isLabelValue(v)).toBe(false);
      expect(() => validateLabels('t', 'labels', { app: v })).toThrow(/^t: labels\.app must be a label value/);
    }));
  });

  test('a key prefix must be a DNS subdomain of at most 253 characters', () => {
    expect(isLabelKey(`${'a'.repeat(254)}/x`)).toBe(false);
    expect(isLabelKey(`${'a.'.repeat(126)}a/x`)).toBe(true);
    expect(isLabelKey('Example.com/x')).toBe(false);
    expect(isLabelKey('/x')).toBe(false);
  });
});
