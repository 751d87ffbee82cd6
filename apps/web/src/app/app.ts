import { ChangeDetectionStrategy, Component, inject, PendingTasks } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { SessionApi } from './core/api/session.api';
import { SessionStore } from './core/session/session.store';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly session = inject(SessionStore);
  private readonly sessionApi = inject(SessionApi);
  private readonly router = inject(Router);

  constructor() {
    // PendingTasks holds the server render until the header knows who is signed in.
    void inject(PendingTasks).run(() => this.session.load());
  }

  protected async signOut(): Promise<void> {
    await firstValueFrom(this.sessionApi.logout());
    this.session.signedOut();
    await this.router.navigateByUrl('/');
  }
}
