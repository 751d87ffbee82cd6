import { hkdfSync } from 'node:crypto';
import { Logger, Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ConfigError, type AppConfig } from '@mpp/config';
import { AuthenticatedGuard } from './authenticated.guard.js';
import { DevLoginController } from './dev-login.controller.js';
import { EmailCipher } from './email-cipher.js';
import { GoogleAuthController, GoogleUnavailableController } from './google-auth.controller.js';
import { GoogleStrategy, type GoogleCredentials } from './google.strategy.js';
import { OAuthStateCookieStore } from './oauth-state-cookie.js';
import { SessionController } from './session.controller.js';
import { ProvidersController } from './providers.controller.js';
import { SessionMiddleware } from './session.middleware.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

// Used only when SESSION_SECRET is absent, which forRoot refuses in production.
const DEVELOPMENT_SECRET = 'motopartpicker-development-secret-not-for-production';

@Module({})
export class AuthModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.NODE_ENV === 'production' && !config.SESSION_SECRET) {
      throw new ConfigError([{ variable: 'SESSION_SECRET', message: 'required in production (at least 32 characters); NODE_ENV=development for a local run' }]);
    }
    const logger = new Logger('AuthModule');
    const google = config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET;
    if (!google) logger.log('Google sign-in disabled: GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET not set');
    if (config.devLoginEnabled) logger.warn('AUTH_DEV_LOGIN is on: POST /auth/dev-login signs anyone in');
    const credentials: GoogleCredentials | undefined = google
      ? {
          clientId: config.GOOGLE_CLIENT_ID!,
          clientSecret: config.GOOGLE_CLIENT_SECRET!,
          callbackUrl: new URL('/auth/google/callback', config.PUBLIC_BASE_URL).toString(),
        }
      : undefined;
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule],
      controllers: [
        SessionController,
        ProvidersController,
        google ? GoogleAuthController : GoogleUnavailableController,
        ...(config.devLoginEnabled ? [DevLoginController] : []),
      ],
      providers: [
        { provide: EmailCipher, useValue: new EmailCipher(config.SESSION_SECRET ?? DEVELOPMENT_SECRET) },
        UsersRepository,
        SessionsRepository,
        AuthenticatedGuard,
        ...(credentials
          ? [
              {
                provide: GoogleStrategy,
                inject: [UsersRepository],
                useFactory: (users: UsersRepository) =>
                  new GoogleStrategy(credentials, users, new OAuthStateCookieStore(Buffer.from(hkdfSync('sha256', config.SESSION_SECRET ?? DEVELOPMENT_SECRET, 'motopartpicker', 'oauth-state', 32)))),
              },
            ]
          : []),
      ],
      exports: [UsersRepository, SessionsRepository, AuthenticatedGuard, EmailCipher],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionMiddleware).forRoutes('*path');
  }
}
