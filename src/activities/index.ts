import { accountActivities } from './account';
import type { ActivityDeps } from './deps';

/** Built only by worker.ts; workflows see it through `import type`. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...accountActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
