import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { DevLogin, EmailPreferences, Me, RiderPreferences, RiderPreferencesChange } from './api-types';

/** Who is signed in: GET /api/me, POST /auth/dev-login, POST /auth/logout. */
@Injectable({ providedIn: 'root' })
export class SessionApi {
  private readonly http = inject(HttpClient);

  me(): Observable<Me> {
    return this.http.get<Me>('/api/me');
  }

  devLogin(body: DevLogin): Observable<Me> {
    return this.http.post<Me>('/auth/dev-login', body);
  }

  logout(): Observable<unknown> {
    return this.http.post('/auth/logout', {});
  }

  /** PUT /api/me/rider-preferences: the region and garage bike on the account (GET /api/me reads them back). */
  updateRiderPreferences(change: RiderPreferencesChange): Observable<RiderPreferences> {
    return this.http.put<RiderPreferences>('/api/me/rider-preferences', change);
  }

  /** PUT /api/me/preferences: not in DESIGN §6, but the API offers it (see docs/web.md). */
  updateEmailPreferences(preferences: EmailPreferences): Observable<EmailPreferences> {
    return this.http.put<EmailPreferences>('/api/me/preferences', preferences);
  }
}
