import { HttpBackend } from '@angular/common/http';
import { ApplicationConfig, inject, mergeApplicationConfig, TransferState } from '@angular/core';
import { provideServerRendering, withRoutes } from '@angular/ssr';
import { appConfig } from './app.config';
import { serverRoutes } from './app.routes.server';
import { API_ORIGIN, SITE_CONFIG, SITE_CONFIG_STATE_KEY, SiteConfig } from './core/config/site-config';
import { ApiOriginFetchBackend } from './core/http/api-origin-fetch-backend';

/** server.ts validates and defaults both at start-up; the fallbacks only serve `ng serve` and the build. */
const apiOrigin = () => (process.env['API_URL'] || 'http://127.0.0.1:3000').replace(/\/+$/, '');
const publicBaseUrl = () => (process.env['PUBLIC_BASE_URL'] || 'http://localhost:4000').replace(/\/+$/, '');

const serverConfig: ApplicationConfig = {
  providers: [
    provideServerRendering(withRoutes(serverRoutes)),
    { provide: API_ORIGIN, useFactory: apiOrigin },
    { provide: HttpBackend, useClass: ApiOriginFetchBackend },
    {
      provide: SITE_CONFIG,
      useFactory: (): SiteConfig => {
        const site = { publicBaseUrl: publicBaseUrl() };
        inject(TransferState).set(SITE_CONFIG_STATE_KEY, site);
        return site;
      },
    },
  ],
};

export const config = mergeApplicationConfig(appConfig, serverConfig);
