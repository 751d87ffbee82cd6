/** Crawlers may index the catalog; personal and transactional pages are not for them. */
export function robotsTxt(publicBaseUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /api/',
    'Disallow: /auth/',
    'Disallow: /go/',
    'Disallow: /account',
    'Disallow: /builds/new',
    'Disallow: /sign-in',
    `Sitemap: ${publicBaseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}
