import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { BuildsApi } from '../../../core/api/builds.api';
import { describeHttpError, httpStatusOf } from '../../../core/http/http-errors';
import { SessionStore } from '../../../core/session/session.store';
import { draftOf, withPartAdded } from '../build-draft';

/**
 * "Add to build" for a page that shows many parts (bike, search) or one (part): the rider's builds
 * loaded once, the build chosen as the target, and one add at a time (a fresh read, then a PUT with
 * If-Match, so a build changed elsewhere is never overwritten). Provided per page.
 */
@Injectable()
export class BuildCollector {
  private readonly buildsApi = inject(BuildsApi);
  readonly session = inject(SessionStore);

  readonly mine = this.buildsApi.mineResource(() => this.session.me() !== null);
  readonly builds = computed(() => (this.mine.hasValue() ? this.mine.value().items : []));
  readonly target = signal<string | null>(null);
  /** The part being added right now, if any. */
  readonly busy = signal<string | null>(null);
  readonly added = signal<{ partId: string; build: { id: string; name: string } } | null>(null);
  readonly error = signal<{ partId: string; message: string } | null>(null);

  async add(partId: string): Promise<void> {
    const id = this.target();
    if (!id || this.busy()) return;
    this.busy.set(partId);
    this.added.set(null);
    this.error.set(null);
    try {
      const build = await firstValueFrom(this.buildsApi.buildAfter(id, 0));
      await firstValueFrom(this.buildsApi.update(id, withPartAdded(draftOf(build), partId), build.revision));
      this.added.set({ partId, build: { id, name: build.name } });
    } catch (error) {
      const status = httpStatusOf(error);
      this.error.set({
        partId,
        message:
          status === 409 || status === 412
            ? 'That build changed at the same moment. Please try again.'
            : describeHttpError(error, 'The part could not be added. Please try again.'),
      });
    } finally {
      this.busy.set(null);
    }
  }
}
