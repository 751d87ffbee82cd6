import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Bike, VerificationAccepted } from '../../core/api/api-types';
import { PartsApi } from '../../core/api/parts.api';
import { describeHttpError } from '../../core/http/http-errors';
import { SessionStore } from '../../core/session/session.store';
import { BikePicker } from '../../shared/bike-picker';
import { bikeTitle } from '../../shared/formatting';

const MAX_NOTES = 2000;

/** A recorded verification and the bike it names, so the trail can title the new row at once. */
export interface VerifiedFit {
  accepted: VerificationAccepted;
  bike: Bike;
}

/** "Did it fit your bike?": POST /api/verifications, for signed-in riders. */
@Component({
  selector: 'app-verify-fit-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikePicker],
  templateUrl: './verify-fit-form.html',
})
export class VerifyFitForm {
  private readonly partsApi = inject(PartsApi);
  protected readonly session = inject(SessionStore);

  readonly partId = input.required<string>();
  readonly partSlug = input.required<string>();
  readonly bikes = input.required<Bike[]>();
  readonly preselectedBikeId = input<string | null>(null);
  readonly verified = output<VerifiedFit>();

  protected readonly maxNotes = MAX_NOTES;
  protected readonly otherBike = signal<Bike | null>(null);
  protected readonly chosenBikeId = signal<string | null>(null);
  protected readonly fits = signal<boolean | null>(null);
  protected readonly notes = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly thanks = signal<string | null>(null);

  protected readonly bikeChoices = computed(() => {
    const choices = this.bikes().map((bike) => ({ id: bike.id, title: bikeTitle(bike) }));
    const other = this.otherBike();
    if (other && !choices.some((choice) => choice.id === other.id)) choices.push({ id: other.id, title: bikeTitle(other) });
    return choices;
  });
  /** Only the bike the rider came with (or picked) is preselected: never silently the first of the list. */
  protected readonly selectedBikeId = computed(() => this.chosenBikeId() ?? this.preselectedBikeId() ?? null);
  protected readonly canSubmit = computed(
    () => this.selectedBikeId() !== null && this.fits() !== null && this.notes().length <= MAX_NOTES && !this.busy(),
  );
  /** Back to this part with the chosen bike, so signing in from the form does not lose it. */
  protected readonly returnUrl = computed(() => {
    const id = this.selectedBikeId();
    const slug = id ? this.bikeById(id)?.slug : undefined;
    return `/parts/${this.partSlug()}${slug ? `?bike=${encodeURIComponent(slug)}` : ''}`;
  });

  private bikeById(id: string): Bike | undefined {
    const other = this.otherBike();
    return other?.id === id ? other : this.bikes().find((bike) => bike.id === id);
  }

  protected pickOtherBike(bike: Bike): void {
    this.otherBike.set(bike);
    this.chosenBikeId.set(bike.id);
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const bikeId = this.selectedBikeId();
    const fits = this.fits();
    if (bikeId === null || fits === null) return;
    this.busy.set(true);
    this.error.set(null);
    this.thanks.set(null);
    try {
      const notes = this.notes().trim();
      const accepted = await firstValueFrom(
        this.partsApi.submitVerification(
          { partId: this.partId(), bikeId, fits, ...(notes ? { notes } : {}) },
          crypto.randomUUID(),
        ),
      );
      this.thanks.set('Thank you! Your verification is recorded in the audit trail below.');
      this.notes.set('');
      this.fits.set(null);
      const bike = this.bikeById(bikeId);
      if (bike) this.verified.emit({ accepted, bike });
    } catch (error) {
      this.error.set(describeHttpError(error, 'Your verification could not be saved. Please try again.'));
    } finally {
      this.busy.set(false);
    }
  }
}
