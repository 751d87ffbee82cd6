import { Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';

export const PERSONAL_CACHE_CONTROL = 'private, no-store';

/** Set before the handler runs, so an error answer on a personal route is not cached either. */
@Injectable()
export class PersonalResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', PERSONAL_CACHE_CONTROL);
    return next.handle();
  }
}

/**
 * Marks a controller or route whose answers belong to one person (their account, CSRF token,
 * builds, alerts): `Cache-Control: private, no-store`, so no shared cache or back/forward store
 * keeps them. Public catalog reads set their own caching headers elsewhere.
 */
export const PersonalResponse = () => UseInterceptors(PersonalResponseInterceptor);
