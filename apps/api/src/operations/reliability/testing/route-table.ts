import type { NestExpressApplication } from '@nestjs/platform-express';

export interface RouteKey {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the running application answers, read from Express's router after Nest registered
 * its controllers (and Swagger its pages): the source of truth, so a route added anywhere shows up
 * here without anyone listing it.
 */
export function routeTable(app: NestExpressApplication): RouteKey[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const router = express.router ?? express._router;
  if (!router) throw new Error('no Express router found: has the app been initialised?');
  const routes = new Map<string, RouteKey>();
  const visit = (layers: Layer[]) => {
    for (const layer of layers) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') routes.set(`${method.toUpperCase()} ${path}`, { method: method.toUpperCase(), path });
          }
        }
      } else if (layer.handle?.stack) {
        visit(layer.handle.stack);
      }
    }
  };
  visit(router.stack);
  return [...routes.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export const routeName = (r: RouteKey) => `${r.method} ${r.path}`;
