import { ChangeDetectionStrategy, Component, computed, DOCUMENT, effect, inject, input, linkedSignal, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { SITE_CONFIG } from '../../core/config/site-config';
import { buildMarkdown } from './build-markdown';
import { buildTotals } from './build-totals';
import { draftOf, withPartAdded } from './build-draft';
import { firstValueFrom } from 'rxjs';
import { Build, BuildDraft, BuildVisibility } from '../../core/api/api-types';
import { BikesApi } from '../../core/api/bikes.api';
import { BuildsApi } from '../../core/api/builds.api';
import { minPositionOf, withMinPosition } from '../../core/api/min-position-state';
import { SearchApi } from '../../core/api/search.api';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { BikeTitlePipe, CategoryPipe, MoneyPipe, UNKNOWN_BIKE } from '../../shared/formatting';
import { NotFoundView } from '../../shared/not-found-view';
import { BuildNameFields } from '../../shared/build-name-fields';
import { StatusBadge } from '../../shared/status-badge';

/** /builds/:id: public and unlisted builds are SSR pages; the owner edits them in place. */
@Component({
  selector: 'app-build-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikeTitlePipe, CategoryPipe, MoneyPipe, StatusBadge, NotFoundView, BuildNameFields],
  templateUrl: './build.page.html',
  styleUrl: './build.page.css',
})
export class BuildPage {
  private readonly buildsApi = inject(BuildsApi);
  private readonly pageMeta = inject(PageMeta);
  protected readonly session = inject(SessionStore);

  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly site = inject(SITE_CONFIG);

  readonly id = input.required<string>();
  /**
   * Set by the page that created (or cloned) the build, so the first read waits for the projection
   * (read-your-writes). It travels in the navigation state, not in the address bar.
   */
  private readonly minPosition = minPositionOf(this.router);
  /**
   * A clone opens in this same component (only the id input changes), so the position the new
   * build's first read must wait for is kept here per id, not read once from the navigation.
   */
  private readonly createdAt = signal<ReadonlyMap<string, string>>(new Map());

  protected readonly buildResource = this.buildsApi.buildResource(() => ({ id: this.id(), minPosition: this.createdAt().get(this.id()) ?? this.minPosition }));
  protected readonly build = computed(() => (this.buildResource.hasValue() ? this.buildResource.value() : null));
  private readonly errorStatus = computed(() => httpStatusOf(this.buildResource.error()));
  /** A malformed id is refused by the API (400): for a rider that address simply has no build. */
  protected readonly notFound = computed(() => this.errorStatus() === 404 || this.errorStatus() === 400);
  protected readonly forbidden = computed(() => this.errorStatus() === 401 || this.errorStatus() === 403);
  protected readonly isOwner = computed(() => {
    const me = this.session.me();
    return !!me && me.id === this.build()?.ownerId;
  });

  protected readonly partQuery = signal('');
  private readonly partSearch = inject(SearchApi).searchResource(() => {
    const q = this.partQuery().trim();
    const build = this.build();
    return q.length >= 2 && build?.bike && this.isOwner() ? { q, bikeId: build.bike.id, limit: 8 } : undefined;
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
    return this.searchUnavailable() && build?.bike ? { bike: build.bike.id, query: { limit: 100 } } : undefined;
  });
  protected readonly revision = computed(() => this.build()?.revision ?? 0);
  protected readonly searching = computed(() => this.partSearch.isLoading() || this.bikePartsFallback.isLoading());
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
  /** One total in the rider's currency; lines priced only elsewhere are flagged, never added. */
  protected readonly totals = computed(() => {
    const build = this.build();
    return build ? buildTotals(build) : { headline: null, leftOut: 0 };
  });
  protected readonly shareLink = computed(() => `${this.origin()}/builds/${this.id()}`);
  protected readonly markdown = computed(() => {
    const build = this.build();
    return build ? buildMarkdown(build, this.totals(), this.shareLink()) : '';
  });
  /** The settings form follows the saved build: a reload after a conflict puts the saved values back. */
  protected readonly nameDraft = linkedSignal(() => this.build()?.name ?? '');
  protected readonly visibilityDraft = linkedSignal<BuildVisibility>(() => this.build()?.visibility ?? 'private');
  protected readonly confirmingDelete = signal(false);
  protected readonly copied = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly message = signal<{ text: string; isError: boolean } | null>(null);

  constructor() {
    effect(() => {
      const build = this.build();
      if (build) {
        this.pageMeta.set({
          title: build.bike ? `${build.name}: a ${build.bike.year} ${build.bike.make} ${build.bike.model} build` : build.name,
          description: `${build.parts.length} parts for ${build.bike ? `a ${build.bike.year} ${build.bike.make} ${build.bike.model}` : UNKNOWN_BIKE}, with fit warnings and the total price.`,
          canonicalPath: `/builds/${build.id}`,
          noIndex: build.visibility !== 'public',
        });
      } else if (this.notFound() || this.forbidden()) {
        this.pageMeta.set({ title: 'Build not found', description: 'This build does not exist or is private.', noIndex: true });
      }
    });
  }

  protected saveSettings(event: Event): void {
    event.preventDefault();
    const name = this.nameDraft().trim();
    if (!name) return;
    const visibility = this.visibilityDraft();
    void this.change((draft) => {
      draft.name = name;
      draft.visibility = visibility;
    });
  }

  protected async deleteBuild(): Promise<void> {
    const build = this.build();
    if (!build || this.saving()) return;
    this.saving.set(true);
    this.message.set(null);
    try {
      const deleted = await firstValueFrom(this.buildsApi.delete(build.id, build.revision));
      await this.router.navigate(['/builds'], withMinPosition(deleted.position));
    } catch (error) {
      this.confirmingDelete.set(false);
      this.handleWriteError(error, 'The build could not be deleted.');
    } finally {
      this.saving.set(false);
    }
  }

  /** Anyone signed in can copy a build they can see into a private build of their own. */
  protected async cloneBuild(): Promise<void> {
    const build = this.build();
    if (!build || this.saving()) return;
    if (!build.bike) {
      this.message.set({ text: `This build is for ${UNKNOWN_BIKE}: it cannot be copied.`, isError: true });
      return;
    }
    this.saving.set(true);
    this.message.set(null);
    try {
      const draft = draftOf(build);
      const created = await firstValueFrom(
        this.buildsApi.create({ ...draft, bikeId: build.bike.id, name: `Copy of ${build.name}`.slice(0, 120), visibility: 'private' }),
      );
      this.createdAt.set(new Map(this.createdAt()).set(created.id, String(created.position)));
      await this.router.navigate(['/builds', created.id], withMinPosition(created.position));
    } catch (error) {
      this.message.set({ text: describeHttpError(error, 'The build could not be copied.'), isError: true });
    } finally {
      this.saving.set(false);
    }
  }

  protected async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied.set(`${what} copied.`);
    } catch (error) {
      // Without clipboard permission the text stays selectable in the field beside the button.
      this.copied.set(`Could not copy automatically (${describeHttpError(error, 'no clipboard access')}); select the text and copy it.`);
    }
  }

  protected addPart(partId: string): void {
    this.change((draft) => withPartAdded(draft, partId));
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
      this.handleWriteError(error, 'The build could not be saved.');
    } finally {
      this.saving.set(false);
    }
  }

  /** A conflict reloads the saved build, and with it every field of the form, so nothing unsaved lingers. */
  private handleWriteError(error: unknown, fallback: string): void {
    const status = httpStatusOf(error);
    if (status === 409 || status === 412) {
      this.message.set({ text: 'This build was changed elsewhere. We reloaded the saved version; please make your change again.', isError: true });
      const build = this.build();
      if (build) {
        this.buildsApi.buildAfter(build.id, 0).subscribe({
          next: (saved) => this.buildResource.set(saved),
          error: () => this.buildResource.reload(),
        });
      }
    } else {
      this.message.set({ text: describeHttpError(error, fallback), isError: true });
    }
  }

  private origin(): string {
    const location = this.document.location;
    return location?.origin && location.origin !== 'null' ? location.origin : this.site.publicBaseUrl;
  }
}
