import { loadProjectionModule, ProjectionModuleInvalid, type ProjectionModule } from '@mpp/projection-runner';
import { CliUsageError } from './cli-context.js';

/** `--file`: a projection module from anywhere, its problems reported as usage errors (exit 2). */
export async function loadProjectionFile(path: string): Promise<ProjectionModule> {
  try {
    return await loadProjectionModule(path);
  } catch (error) {
    if (error instanceof ProjectionModuleInvalid) throw new CliUsageError(`--file ${error.message}`);
    throw error;
  }
}
