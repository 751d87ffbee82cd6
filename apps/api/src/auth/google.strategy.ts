import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type Profile } from 'passport-google-oauth20';
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
  ) {
    super({
      clientID: credentials.clientId,
      clientSecret: credentials.clientSecret,
      callbackURL: credentials.callbackUrl,
      scope: ['email', 'profile'],
    });
  }

  async validate(_accessToken: string, _refreshToken: string, profile: Profile): Promise<User> {
    const email = profile.emails?.find((e) => e.verified)?.value ?? profile.emails?.[0]?.value;
    if (!email) throw new Error('Google returned no email for this account');
    return this.users.upsertByEmail({ email, displayName: profile.displayName || email.split('@')[0], googleSubject: profile.id });
  }
}
