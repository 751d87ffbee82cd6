import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { PageMeta } from '../../core/seo/page-meta';
import { NotFoundView } from '../../shared/not-found-view';

@Component({
  selector: 'app-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NotFoundView],
  template: `<app-not-found-view />`,
})
export class NotFoundPage {
  constructor() {
    inject(PageMeta).set({ title: 'Page not found', description: 'This page does not exist.', noIndex: true });
  }
}
