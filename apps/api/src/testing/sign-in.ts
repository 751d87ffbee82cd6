import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';

export interface SignedIn {
  userId: string;
  cookie: string[];
  csrfToken: string;
}

/** Signs in through the real dev sign-in route and returns what a browser would hold. */
export async function signIn(app: NestExpressApplication, email: string, role: 'user' | 'moderator' | 'admin' = 'user'): Promise<SignedIn> {
  const res = await request(app.getHttpServer())
    .post('/auth/dev-login')
    .send({ email, displayName: email.split('@')[0], role })
    .expect(200);
  const setCookie = res.headers['set-cookie'] as unknown as string[];
  return { userId: res.body.id, cookie: setCookie.map((c) => c.split(';')[0]), csrfToken: res.body.csrfToken };
}
