import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { signIn } from './sign-in.js';
import { SMALL_CATALOG } from './small-catalog.js';

/** Imports the small catalog through the real admin route. */
export async function importSmallCatalog(app: NestExpressApplication): Promise<number> {
  const admin = await signIn(app, 'catalog-admin@example.com', 'admin');
  const res = await request(app.getHttpServer())
    .post('/api/admin/catalog/import')
    .set('Cookie', admin.cookie)
    .set('X-CSRF-Token', admin.csrfToken)
    .send(SMALL_CATALOG)
    .expect(201);
  return res.body.position as number;
}
