import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isIP } from 'node:net';
import type { Request } from 'express';

/**
 * For the development-only routes (dev sign-in, dev mailbox): a request must come from this machine.
 * The socket's peer decides, never X-Forwarded-For, which anyone can write; a forwarded request
 * (the web server's /api proxy puts the browser's address there) must also name only loopback
 * addresses, so the site served to others through a local proxy does not open these routes.
 */
@Injectable()
export class LoopbackOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const forwarded = req.headers['x-forwarded-for'];
    const forwardedFor = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((a) => a.trim()).filter(Boolean);
    if (!isLoopback(req.socket.remoteAddress) || !forwardedFor.every(isLoopback)) {
      throw new ForbiddenException('This development route answers only requests from this machine.');
    }
    return true;
  }
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}
