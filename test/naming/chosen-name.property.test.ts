import * as fc from 'fast-check';
import { MeshConfigError } from '../../src/core/errors';
import { chosenName } from '../../src/core/object-names';

// chosenName is the one gate every chosen object name passes: it accepts exactly what the kind's
// rule accepts, and its refusal names the construct and the prop and suggests a name the kind accepts.

const KINDS: Array<[string, RegExp, number]> = [
  ['/Service', /^[a-z]([-a-z0-9]*[a-z0-9])?$/, 63],
  ['/Namespace', /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 63],
  ['networking.istio.io/VirtualService', /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 253],
];

const names = fc.oneof(
  fc.stringMatching(/^[a-z0-9][-a-z0-9.]{0,70}$/),
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^[a-z][-a-z0-9]{250,260}$/),
);

describe('chosenName', () => {
  test.each(KINDS)('%s: accepts exactly the names its rule accepts, and suggests one it accepts', (kind, pattern, max) => {
    fc.assert(fc.property(names, (name) => {
      const valid = name.length <= max && pattern.test(name);
      let error: unknown;
      try {
        expect(chosenName('shop/reviews', 'names.x', kind, name, 'fallback')).toBe(name);
      } catch (e) {
        error = e;
      }
      expect(error === undefined).toBe(valid);
      if (error) {
        expect(error).toBeInstanceOf(MeshConfigError);
        const message = (error as Error).message;
        expect(message.startsWith('shop/reviews: names.x names a ')).toBe(true);
        const suggested = /Fix: use a name such as "([^"]*)"/.exec(message)![1];
        expect(suggested.length <= max && pattern.test(suggested)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('no chosen name gives the default', () => {
    expect(chosenName('x', 'names.x', '/Service', undefined, 'reviews')).toBe('reviews');
  });
});
