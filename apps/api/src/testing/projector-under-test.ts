import { createKnex } from '@mpp/db';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { ProjectionRunner } from '@mpp/projection-runner';
import { allConsumers } from '@mpp/projections';
import type { TestDatabase } from '@mpp/testing';

export interface ProjectorUnderTest {
  runner: ProjectionRunner;
  store: EventStore;
  stop(): Promise<void>;
}

/** The real projection runner with every projection and reactor, in this process, on the test database, as the projector's role. */
export async function startProjectorUnderTest(db: TestDatabase): Promise<ProjectorUnderTest> {
  const store = createPostgresEventStore({ connectionString: db.projectorUrl, applicationName: 'mpp-test-projector' });
  const knex = createKnex(db.projectorUrl, { applicationName: 'mpp-test-projector' });
  const runner = new ProjectionRunner({ knex, store, projections: allConsumers(store), rebuildPollMs: 100 });
  await runner.start();
  return {
    runner,
    store,
    async stop() {
      await runner.stop();
      await store.close();
      await knex.destroy();
    },
  };
}
