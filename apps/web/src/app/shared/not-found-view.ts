import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ResponseStatus } from '../core/http/response-status';

/** Rendering it makes the server answer 404, so unknown slugs are not indexed as real pages. */
@Component({
  selector: 'app-not-found-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <section class="not-found">
      <h1>{{ heading() }}</h1>
      <p>{{ message() }}</p>
      <p><a routerLink="/" class="button">Pick your bike</a> <a routerLink="/search" class="button button--ghost">Search parts</a></p>
    </section>
  `,
})
export class NotFoundView {
  readonly heading = input('Page not found');
  readonly message = input("We couldn't find what you were looking for.");

  constructor() {
    inject(ResponseStatus).notFound();
  }
}
