import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { Bike, VerificationAudit } from '../../core/api/api-types';
import { bikeTitle } from '../../shared/formatting';

/** The audit trail: every verification event with its position and hash chain (DESIGN §4). */
@Component({
  selector: 'app-verification-trail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    <p class="chain" [class.chain--ok]="audit().chainValid" [class.chain--broken]="!audit().chainValid" role="status">
      @if (audit().chainValid) {
        ✓ Hash chain intact: every entry below matches the hash of the one before it.
      } @else {
        ✗ Hash chain broken: an entry was changed or removed after it was recorded.
      }
    </p>
    @if (audit().items.length > 0) {
      <div class="table-scroll">
        <table class="trail stack-table">
          <caption class="visually-hidden">Verification audit trail</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Bike</th><th scope="col">Fits?</th><th scope="col">Rider</th><th scope="col">Notes</th><th scope="col">State</th><th scope="col">Event</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            @for (entry of audit().items; track entry.eventId) {
              <tr [class.is-new]="entry.verificationId === highlightId()" [attr.data-verification-id]="entry.verificationId">
                <td data-label="When">{{ entry.submittedAt | date: 'mediumDate' : 'UTC' }}</td>
                <td data-label="Bike">{{ bikeName(entry.bikeId) }}</td>
                <td data-label="Fits?">{{ entry.fits ? 'Fits' : 'Does not fit' }}</td>
                <td data-label="Rider">{{ entry.contributor.displayName }}</td>
                <td data-label="Notes" class="trail__notes">{{ entry.notes || '—' }}</td>
                <td data-label="State">{{ entry.state }}</td>
                <td class="hash" data-label="Event">
                  <span title="Global position">#{{ entry.position }}</span>
                  @if (entry.hash) {
                    <code [attr.title]="'hash ' + entry.hash + (entry.prevHash ? ', previous ' + entry.prevHash : '')">{{ entry.hash.slice(0, 12) }}…</code>
                  }
                </td>
                <td>
                  @if (retractable().has(entry.verificationId)) {
                    <button type="button" class="link-button" (click)="retract.emit(entry.verificationId)">Retract<span class="visually-hidden"> my verification of {{ entry.submittedAt | date: 'mediumDate' : 'UTC' }}</span></button>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    } @else {
      <p class="muted">No rider has verified this part yet. Be the first.</p>
    }
  `,
  styles: `
    .chain { font-weight: 700; padding: 0.5rem 0.75rem; border-radius: 8px; }
    .chain--ok { color: var(--ok); background: var(--ok-bg); }
    .chain--broken { color: var(--bad); background: var(--bad-bg); }
    .hash code { display: block; font-size: 0.8rem; color: var(--muted); }
    tr.is-new td { background: #fff7ed; }
    .trail__notes { overflow-wrap: anywhere; }
    .hash code { overflow-wrap: anywhere; }
  `,
})
export class VerificationTrail {
  readonly audit = input.required<VerificationAudit>();
  readonly bikes = input<Bike[]>([]);
  readonly highlightId = input<string | null>(null);
  /** The rider's own active verifications: those rows offer "Retract". */
  readonly retractable = input<ReadonlySet<string>>(new Set());
  readonly retract = output<string>();
  private readonly bikeNames = computed(() => new Map(this.bikes().map((bike) => [bike.id, bikeTitle(bike)])));

  protected bikeName(bikeId: string): string {
    return this.bikeNames().get(bikeId) ?? 'A bike not listed here';
  }
}
