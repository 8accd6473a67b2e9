import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshConfigError } from '../../src/core/errors';
import { addMeshValidation, oncePerPass } from '../../src/core/validation-pass';
import { meshChart, reviewsService } from '../support/charts';

// The app-level check validates every construct before cdk8s does; the library's own validations
// must not compute a second time when cdk8s calls them in the same pass.

/** A construct whose validation counts its runs and fails while `problem` is set. */
function counted(scope: Construct, id: string): { runs: () => number; setProblem: (p?: string) => void } {
  const c = new Construct(scope, id);
  let runs = 0;
  let problem: string | undefined;
  addMeshValidation(c, () => {
    runs++;
    return problem ? [problem] : [];
  });
  return { runs: () => runs, setProblem: (p) => { problem = p; } };
}

test('a library validation runs once per synth of a chart, not once for the app-level check and again for cdk8s', () => {
  const c = meshChart();
  reviewsService(c); // turns the app-level check on
  const v = counted(c, 'v');
  Testing.synth(c);
  expect(v.runs()).toBe(1);
});

test('a validation called outside a pass computes afresh, so it sees changes made after a synth', () => {
  const c = meshChart();
  reviewsService(c);
  const v = counted(c, 'v');
  const node = c.node.findChild('v').node;
  Testing.synth(c);
  v.setProblem('v: broken');
  expect(node.validate()).toEqual(['v: broken']);
  expect(() => Testing.synth(c)).toThrow(MeshConfigError);
  expect(() => Testing.synth(c)).toThrow(/\[test\/v\] v: broken/);
  v.setProblem(undefined);
  expect(node.validate()).toEqual([]);
  expect(() => Testing.synth(c)).not.toThrow();
});

test('work shared by the validations of a pass is computed once per pass, and afresh outside one', () => {
  const c = meshChart();
  reviewsService(c);
  const key = {};
  let computed = 0;
  const shared = (): number => oncePerPass(c, key, () => ++computed);
  for (const id of ['a', 'b', 'c']) addMeshValidation(new Construct(c, id), () => (shared() > 0 ? [] : ['never']));
  Testing.synth(c);
  expect(computed).toBe(1);
  shared();
  expect(computed).toBe(2);
});

test('App.synth() validates once, not once more per chart it renders; the next synth validates again', () => {
  const app = Testing.app();
  const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: 'bookinfo' }));
  reviewsService(charts[0]);
  const v = counted(charts[1], 'v');
  app.synth();
  expect(v.runs()).toBe(1);
  v.setProblem('v: broken');
  expect(() => app.synth()).toThrow(/\[b\/v\] v: broken/);
  expect(() => app.synthYaml()).toThrow(MeshConfigError);
  v.setProblem(undefined);
  const runs = v.runs();
  app.synthYaml();
  expect(v.runs()).toBe(runs + 1);
});
