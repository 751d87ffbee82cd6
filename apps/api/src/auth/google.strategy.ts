import { ForbiddenException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type Profile } from 'passport-google-oauth20';
import type { OAuthStateCookieStore } from './oauth-state-cookie.js';
import { UsersRepository, type User } from './users.repository.js';

export interface GoogleCredentials {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
}

@Injectable()
export class GoogleStrategy extends PassportStrategy(Strategy, 'google') {
  constructor(
    credentials: GoogleCredentials,
    private readonly users: UsersRepository,
    stateStore: OAuthStateCookieStore,
  ) {
    // `state` against login CSRF and PKCE (S256) against a stolen authorization code, as the architecture requires.
    super({
      clientID: credentials.clientId,
      clientSecret: credentials.clientSecret,
      callbackURL: credentials.callbackUrl,
      scope: ['email', 'profile'],
      state: true,
      pkce: true,
      store: stateStore,
    } as never);
  }

  /** Only an address Google has verified; an account is found by its Google subject, never merged by email. */
  async validate(_accessToken: string, _refreshToken: string, profile: Profile): Promise<User> {
    const email = profile.emails?.find((e) => e.verified === true || (e.verified as unknown) === 'true')?.value;
    if (!email) throw new ForbiddenException('Google has not verified an email address for this account.');
    return this.users.signInWithGoogle({ email, displayName: profile.displayName || email.split('@')[0], googleSubject: profile.id });
  }
}
