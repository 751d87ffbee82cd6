import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, output, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Bike } from '../core/api/api-types';
import { BikesApi } from '../core/api/bikes.api';
import { describeHttpError } from '../core/http/http-errors';
import { BikeTitlePipe } from './formatting';

/**
 * Year -> make -> model cascade (GET /api/bikes/options), then GET /api/bikes?year&make&model to
 * find the bike. Nothing is submitted on `change`: a keyboard rider moving through a select with
 * the arrow keys would otherwise be sent away after the first key press.
 */
@Component({
  selector: 'app-bike-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [BikeTitlePipe],
  templateUrl: './bike-picker.html',
  styleUrl: './bike-picker.css',
})
export class BikePicker {
  private readonly bikesApi = inject(BikesApi);
  private readonly router = inject(Router);

  /** `navigate` opens the bike's page; `select` only emits `picked` (e.g. for a new build). */
  readonly mode = input<'navigate' | 'select'>('navigate');
  readonly submitLabel = input('Show compatible parts');
  readonly idPrefix = input('bike');
  readonly picked = output<Bike>();
  /** The rider's current bike (the garage): the cascade starts on it instead of blank. */
  readonly initial = input<Pick<Bike, 'year' | 'make' | 'model'> | null>(null);

  protected readonly year = linkedSignal<number | null>(() => this.initial()?.year ?? null);
  protected readonly make = linkedSignal<string | null>(() => this.initial()?.make ?? null);
  protected readonly model = linkedSignal<string | null>(() => this.initial()?.model ?? null);
  protected readonly trims = signal<Bike[]>([]);
  protected readonly message = signal<string | null>(null);
  protected readonly busy = signal(false);

  private readonly yearOptions = this.bikesApi.optionsResource(() => ({}));
  private readonly makeOptions = this.bikesApi.optionsResource(() => {
    const year = this.year();
    return year === null ? undefined : { year };
  });
  private readonly modelOptions = this.bikesApi.optionsResource(() => {
    const year = this.year();
    const make = this.make();
    return year === null || make === null ? undefined : { year, make };
  });

  protected readonly years = computed(() => (this.yearOptions.hasValue() ? this.yearOptions.value().years : []));
  protected readonly makes = computed(() => (this.makeOptions.hasValue() ? this.makeOptions.value().makes : []));
  protected readonly models = computed(() => (this.modelOptions.hasValue() ? this.modelOptions.value().models : []));
  protected readonly optionsFailed = computed(
    () => !!(this.yearOptions.error() || this.makeOptions.error() || this.modelOptions.error()),
  );
  protected readonly canSubmit = computed(
    () => this.year() !== null && this.make() !== null && this.model() !== null && !this.busy(),
  );

  protected chooseYear(value: string): void {
    this.year.set(value ? Number(value) : null);
    this.make.set(null);
    this.model.set(null);
    this.trims.set([]);
  }

  protected chooseMake(value: string): void {
    this.make.set(value || null);
    this.model.set(null);
    this.trims.set([]);
  }

  protected chooseModel(value: string): void {
    this.model.set(value || null);
    this.trims.set([]);
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const year = this.year();
    const make = this.make();
    const model = this.model();
    if (year === null || make === null || model === null) return;
    this.busy.set(true);
    this.message.set(null);
    try {
      const found = await firstValueFrom(this.bikesApi.find({ year, make, model, limit: 20 }));
      if (found.items.length === 1) {
        await this.choose(found.items[0]);
      } else if (found.items.length > 1) {
        this.trims.set(found.items);
      } else {
        this.message.set('We have no bike with that year, make and model yet.');
      }
    } catch (error) {
      this.message.set(describeHttpError(error, 'We could not look that bike up. Please try again.'));
    } finally {
      this.busy.set(false);
    }
  }

  protected async choose(bike: Bike): Promise<void> {
    this.picked.emit(bike);
    if (this.mode() === 'navigate') {
      await this.router.navigate(['/bikes', bike.slug]);
    }
  }
}
