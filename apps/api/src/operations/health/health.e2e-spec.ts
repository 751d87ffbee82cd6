import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';

describe('operations endpoints', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('answers liveness without touching dependencies', async () => {
    const res = await request(api.app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('reports the database as ready when it answers', async () => {
    const res = await request(api.app.getHttpServer()).get('/ready').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('publishes the OpenAPI document', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    expect(res.body.info.title).toBe('MotoPartPicker API');
  });

  it('answers an unknown route with problem+json 404', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/nothing-here' });
  });

  it('answers malformed JSON with a 400 problem naming the body', async () => {
    const res = await request(api.app.getHttpServer())
      .post('/api/anything')
      .set('Content-Type', 'application/json')
      .send('{"not json')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'The request body is not valid JSON.' }]);
  });

  it('answers an oversized body with a 413 problem', async () => {
    const res = await request(api.app.getHttpServer())
      .post('/api/anything')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(300 * 1024) }))
      .expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0].field).toBe('body');
  });

  it('answers 503 with Retry-After, not 500, while the projector has not built the read models yet', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/bikes').expect(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('sends the security headers', async () => {
    const res = await request(api.app.getHttpServer()).get('/health');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
