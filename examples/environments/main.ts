// bookinfo in three environments (dev, staging, prod) applied by Argo CD: one builder, typed
// per-environment values (namespace, host, replicas, canary stage), one folder per environment and
// the Argo CD objects that apply them. `npm run synth` writes dist/environments/: dev/, staging/,
// prod/, argocd/applications/ (one Application per environment, synced by the root) and
// argocd/root/ (the root Application and the AppProjects, applied once by an Argo CD admin).
// With ArgoCdObjects.APPLICATION_SET, argocd/applications/ holds one ApplicationSet generating the
// same Applications instead; with ArgoCdObjects.APPLICATION_SET_GIT its Git files generator reads
// argocd/environments/<application>.json, which needs one AppProject for all (the project argument).
import { ArgoCdDestination, ArgoCdObjects, GitOpsEnvironments } from '../../src/gitops';
import { BookinfoBuilder, BookinfoEnvironment } from './bookinfo-environment';

/** The repository CI commits dist/environments/ to, as deploy/bookinfo/. */
export const REPO_URL = 'https://github.com/acme/bookinfo-deploy.git';

export function environments(): BookinfoEnvironment[] {
  return [
    new BookinfoEnvironment({
      name: 'dev', destination: ArgoCdDestination.toCluster('nonprod'),
      namespace: 'bookinfo-dev', host: 'bookinfo.dev.example.com', replicas: 1, canaryStage: 4,
    }),
    new BookinfoEnvironment({
      name: 'staging', destination: ArgoCdDestination.toCluster('nonprod'),
      namespace: 'bookinfo-staging', host: 'bookinfo.staging.example.com', replicas: 2, canaryStage: 3,
    }),
    new BookinfoEnvironment({
      name: 'prod', destination: ArgoCdDestination.toCluster('prod'),
      namespace: 'bookinfo', host: 'bookinfo.example.com', replicas: 3, canaryStage: 1, autoscaleProductpage: true,
      // prod changes wait for a person to press Sync in Argo CD
      syncPolicy: { automated: false },
    }),
  ];
}

export function createGitOps(outdir: string, objects: ArgoCdObjects = ArgoCdObjects.APPLICATIONS, project?: string): GitOpsEnvironments {
  return new GitOpsEnvironments({
    name: 'bookinfo',
    outdir,
    environments: environments(),
    builder: new BookinfoBuilder(),
    argoCd: { repoUrl: REPO_URL, targetRevision: 'main', path: 'deploy/bookinfo', objects, project },
  });
}

if (require.main === module) {
  createGitOps(process.env.CDK8S_OUTDIR ?? 'dist/environments').synth();
}
