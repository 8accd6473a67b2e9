import { Destination, RedirectScheme, RouteTo } from '../../src/traffic/route-action';
import { meshChart, reviewsService } from '../support/charts';

describe('RouteTo and Destination read back under names other languages keep', () => {
  test('a destination exposes its service, version and host (deprecated TypeScript aliases agree)', () => {
    const reviews = reviewsService(meshChart());
    const toService = Destination.service(reviews, { version: 'v2', port: 9080 });
    expect([toService.meshService, toService.versionName, toService.externalHost, toService.port]).toEqual([reviews, 'v2', undefined, 9080]);
    const external = Destination.host('api.example.com');
    expect([external.meshService, external.versionName, external.externalHost]).toEqual([undefined, undefined, 'api.example.com']);
    for (const d of [toService, external, Destination.version('v1')]) {
      expect([d.service, d.version, d.host]).toEqual([d.meshService, d.versionName, d.externalHost]);
    }
    expect(String(toService)).toBe('reviews/v2');
  });

  test('a redirect exposes its options as redirectOptions (deprecated alias: redirect)', () => {
    const to = RouteTo.redirect({ scheme: RedirectScheme.HTTPS });
    expect(to.redirectOptions).toEqual({ scheme: 'https' });
    expect(to.redirect).toBe(to.redirectOptions);
    expect(RouteTo.version('v1').redirectOptions).toBeUndefined();
  });
});
