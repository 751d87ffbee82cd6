import { DOCUMENT, inject, Injectable } from '@angular/core';
import { Meta, Title } from '@angular/platform-browser';
import { SITE_CONFIG } from '../config/site-config';

export interface PageMetaInput {
  title: string;
  /** The title is used as is, without the site name (e.g. "2021 Yamaha MT-07 compatible parts"). */
  bareTitle?: boolean;
  description: string;
  /** Path of the canonical URL, e.g. `/bikes/2021-yamaha-mt-07`; omitted: no canonical link. */
  canonicalPath?: string;
  /** Personal or transactional pages stay out of search engines. */
  noIndex?: boolean;
  jsonLd?: object | null;
}

const SITE_NAME = 'MotoPartPicker';
const JSON_LD_ID = 'mpp-json-ld';

/** Title, description, canonical URL and JSON-LD of the current page, written on server and browser. */
@Injectable({ providedIn: 'root' })
export class PageMeta {
  private readonly title = inject(Title);
  private readonly meta = inject(Meta);
  private readonly document = inject(DOCUMENT);
  private readonly site = inject(SITE_CONFIG);

  set(page: PageMetaInput): void {
    const fullTitle = page.bareTitle || page.title === SITE_NAME ? page.title : `${page.title} | ${SITE_NAME}`;
    this.title.setTitle(fullTitle);
    this.meta.updateTag({ name: 'description', content: page.description });
    this.meta.updateTag({ property: 'og:title', content: fullTitle });
    this.meta.updateTag({ property: 'og:description', content: page.description });
    this.meta.updateTag({ property: 'og:site_name', content: SITE_NAME });
    if (page.noIndex) {
      this.meta.updateTag({ name: 'robots', content: 'noindex' });
    } else {
      this.meta.removeTag('name="robots"');
    }
    const canonicalUrl = page.canonicalPath ? this.site.publicBaseUrl + page.canonicalPath : null;
    this.setCanonical(canonicalUrl);
    if (canonicalUrl) this.meta.updateTag({ property: 'og:url', content: canonicalUrl });
    this.setJsonLd(page.jsonLd ?? null);
  }

  private setCanonical(url: string | null): void {
    let link = this.document.head.querySelector<HTMLLinkElement>('link[rel="canonical"]');
    if (!url) {
      link?.remove();
      return;
    }
    if (!link) {
      link = this.document.createElement('link');
      link.setAttribute('rel', 'canonical');
      this.document.head.appendChild(link);
    }
    link.setAttribute('href', url);
  }

  private setJsonLd(data: object | null): void {
    let script = this.document.getElementById(JSON_LD_ID);
    if (!data) {
      script?.remove();
      return;
    }
    if (!script) {
      script = this.document.createElement('script');
      script.id = JSON_LD_ID;
      script.setAttribute('type', 'application/ld+json');
      this.document.head.appendChild(script);
    }
    // `<` escaped so a product name can never close the script element.
    script.textContent = JSON.stringify(data).replace(/</g, '\\u003c');
  }
}
