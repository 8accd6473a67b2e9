import { ArgoCdSyncOrder, momentText, strictlyBefore, waveOf } from '../../../src/gitops/diff/argo-cd-sync-order';
import { pairObjects } from '../../../src/gitops/diff/object-changes';
import { configMap } from './fixtures';

describe('ArgoCdSyncOrder (gitops-engine pkg/sync)', () => {
  test('the wave annotation is read as Go strconv.Atoi reads it; anything else is wave 0', () => {
    expect(['-2', '+3', '7', ' 1', '1.5', 'x', undefined].map((w) => waveOf(configMap('a', w)))).toEqual([-2, 3, 7, 0, 0, 0, 0]);
  });

  test('prunes run in reverse wave order: the prune waves are mirrored', () => {
    const old = new Map([['a', configMap('a', '-1')], ['b', configMap('b', '0')], ['c', configMap('c', '5')], ['d', configMap('d', '2')]]);
    const next = new Map([['d', configMap('d', '2')]]);
    const order = new ArgoCdSyncOrder(pairObjects(old, next), false);
    const pairs = pairObjects(old, next);
    expect(['a', 'b', 'c'].map((k) => order.pruned(pairs.find((p) => p.key === k)!)!.wave)).toEqual([5, 0, -1]);
    expect(order.applied(next.get('d')!)).toEqual({ wave: 2, prune: false });
  });

  test('PruneLast (the Application option, or on the live object) prunes after the last wave', () => {
    const old = new Map([['a', configMap('a', '0')], ['b', configMap('b', '0', 'Validate=false,PruneLast=true')]]);
    const next = new Map([['c', configMap('c', '3')]]);
    const pairs = pairObjects(old, next);
    const perObject = new ArgoCdSyncOrder(pairs, false);
    expect([perObject.pruned(pairs[0])!.wave, perObject.pruned(pairs[1])!.wave]).toEqual([0, 4]);
    expect(new ArgoCdSyncOrder(pairs, true).pruned(pairs[0])!.wave).toBe(4);
  });

  test('Prune=false on the live object: never pruned', () => {
    const pairs = pairObjects(new Map([['a', configMap('a', '0', 'Prune=false')]]), new Map());
    expect(new ArgoCdSyncOrder(pairs, true).pruned(pairs[0])).toBeUndefined();
  });

  test('only a strictly earlier wave orders two changes', () => {
    expect(strictlyBefore({ wave: 0, prune: false }, { wave: 1, prune: false })).toBe(true);
    expect(strictlyBefore({ wave: 1, prune: true }, { wave: 1, prune: false })).toBe(false);
    expect(strictlyBefore({ wave: 1, prune: false }, undefined)).toBe(true);
    expect(strictlyBefore(undefined, { wave: 1, prune: false })).toBe(false);
    expect([momentText({ wave: -1, prune: true }), momentText(undefined)]).toEqual(['wave -1 (prune)', 'never']);
  });
});
