import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Build, BuildDraft } from '../../core/api/api-types';
import { BikesApi } from '../../core/api/bikes.api';
import { BuildsApi } from '../../core/api/builds.api';
import { SearchApi } from '../../core/api/search.api';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { BikeTitlePipe, CategoryPipe, MoneyPipe } from '../../shared/formatting';
import { NotFoundView } from '../../shared/not-found-view';
import { StatusBadge } from '../../shared/status-badge';

/** /builds/:id: public and unlisted builds are SSR pages; the owner edits them in place. */
@Component({
  selector: 'app-build-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikeTitlePipe, CategoryPipe, MoneyPipe, StatusBadge, NotFoundView],
  templateUrl: './build.page.html',
  styleUrl: './build.page.css',
})
export class BuildPage {
  private readonly buildsApi = inject(BuildsApi);
  private readonly pageMeta = inject(PageMeta);
  protected readonly session = inject(SessionStore);

  readonly id = input.required<string>();
  /** Set after creating the build, so the first read waits for the projection (read-your-writes). */
  readonly minPosition = input<string>();

  protected readonly buildResource = this.buildsApi.buildResource(() => ({ id: this.id(), minPosition: this.minPosition() }));
  protected readonly build = computed(() => (this.buildResource.hasValue() ? this.buildResource.value() : null));
  private readonly errorStatus = computed(() => httpStatusOf(this.buildResource.error()));
  protected readonly notFound = computed(() => this.errorStatus() === 404);
  protected readonly forbidden = computed(() => this.errorStatus() === 401 || this.errorStatus() === 403);
  protected readonly isOwner = computed(() => {
    const me = this.session.me();
    return !!me && me.id === this.build()?.ownerId;
  });

  protected readonly partQuery = signal('');
  private readonly partSearch = inject(SearchApi).searchResource(() => {
    const q = this.partQuery().trim();
    const build = this.build();
    return q.length >= 2 && build && this.isOwner() ? { q, bikeId: build.bike.id, limit: 8 } : undefined;
  });
  /**
   * Search is its own service (Meilisearch in production): when it is missing (404) or down (503),
   * the parts known for the build's bike are still listed by the catalog, so a rider can keep planning.
   */
  private readonly searchUnavailable = computed(() => {
    const status = httpStatusOf(this.partSearch.error());
    return status === 404 || status === 503;
  });
  private readonly bikePartsFallback = inject(BikesApi).partsResource(() => {
    const build = this.build();
    return this.searchUnavailable() && build ? { bike: build.bike.id, query: { limit: 100 } } : undefined;
  });
  protected readonly candidates = computed(() => {
    if (this.partSearch.hasValue()) return this.partSearch.value().hits;
    if (!this.searchUnavailable() || !this.bikePartsFallback.hasValue()) return [];
    const words = this.partQuery().trim().toLowerCase().split(/\s+/);
    return this.bikePartsFallback
      .value()
      .items.map((row) => row.part)
      .filter((part) => {
        const text = `${part.brand} ${part.name} ${part.sku} ${part.category}`.toLowerCase();
        return words.every((word) => text.includes(word));
      })
      .slice(0, 8);
  });
  protected readonly unpricedCount = computed(() => this.build()?.unpricedPartIds?.length ?? 0);
  /** A build mixing currencies has one total per currency; one currency shows the single total. */
  protected readonly extraTotals = computed(() => this.build()?.totals?.slice(1) ?? []);
  protected readonly saving = signal(false);
  protected readonly message = signal<{ text: string; isError: boolean } | null>(null);

  constructor() {
    effect(() => {
      const build = this.build();
      if (build) {
        this.pageMeta.set({
          title: `${build.name}: a ${build.bike.year} ${build.bike.make} ${build.bike.model} build`,
          description: `${build.parts.length} parts for a ${build.bike.year} ${build.bike.make} ${build.bike.model}, with fit warnings and the total price.`,
          canonicalPath: `/builds/${build.id}`,
          noIndex: build.visibility !== 'public',
        });
      } else if (this.notFound() || this.forbidden()) {
        this.pageMeta.set({ title: 'Build not found', description: 'This build does not exist or is private.', noIndex: true });
      }
    });
  }

  protected addPart(partId: string): void {
    this.change((draft) => {
      const line = draft.parts.find((entry) => entry.partId === partId);
      if (line) line.quantity += 1;
      else draft.parts.push({ partId, quantity: 1 });
    });
    this.partQuery.set('');
  }

  protected removePart(partId: string): void {
    this.change((draft) => {
      draft.parts = draft.parts.filter((entry) => entry.partId !== partId);
    });
  }

  protected setQuantity(partId: string, value: string): void {
    const quantity = Math.max(1, Math.min(99, Math.round(Number(value)) || 1));
    this.change((draft) => {
      const line = draft.parts.find((entry) => entry.partId === partId);
      if (line) line.quantity = quantity;
    });
  }

  /** PUT with If-Match: a build edited elsewhere meanwhile is reloaded, never overwritten. */
  private async change(edit: (draft: BuildDraft) => void): Promise<void> {
    const build = this.build();
    if (!build || this.saving()) return;
    const draft = draftOf(build);
    edit(draft);
    this.saving.set(true);
    this.message.set(null);
    try {
      const updated = await firstValueFrom(this.buildsApi.update(build.id, draft, build.revision));
      this.buildResource.set(await firstValueFrom(this.buildsApi.buildAfter(build.id, updated.position)));
      this.message.set({ text: 'Saved.', isError: false });
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 409 || status === 412) {
        this.message.set({ text: 'This build was changed elsewhere. We reloaded it; please make your change again.', isError: true });
        this.buildResource.reload();
      } else {
        this.message.set({ text: describeHttpError(error, 'The build could not be saved.'), isError: true });
      }
    } finally {
      this.saving.set(false);
    }
  }
}

function draftOf(build: Build): BuildDraft {
  return {
    name: build.name,
    bikeId: build.bike.id,
    visibility: build.visibility,
    parts: build.parts.map((line) => ({
      partId: line.part.id,
      quantity: line.quantity,
      ...(line.note ? { note: line.note } : {}),
    })),
  };
}
