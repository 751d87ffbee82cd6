import { Pipe, PipeTransform } from '@angular/core';
import { Bike } from '../core/api/api-types';
import { categoryLabel } from './part-categories';

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(cents / 100);
}

/** "3 h ago": how old a price is matters more to a rider than its timestamp. */
export function formatAge(isoTime: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(isoTime)) / 1000));
  if (Number.isNaN(seconds)) return 'unknown';
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A build whose bike left the catalog answers `bike: null`: it still reads as a sentence. */
export const UNKNOWN_BIKE = 'a bike no longer in the catalog';

export function bikeTitle(bike: Pick<Bike, 'year' | 'make' | 'model' | 'trim'> | null): string {
  if (!bike) return UNKNOWN_BIKE;
  return [bike.year, bike.make, bike.model, bike.trim].filter((part) => part !== null && part !== '').join(' ');
}

@Pipe({ name: 'money' })
export class MoneyPipe implements PipeTransform {
  transform(cents: number | null | undefined, currency: string | null | undefined = 'USD'): string {
    return cents === null || cents === undefined ? '—' : formatMoney(cents, currency || 'USD');
  }
}

@Pipe({ name: 'age' })
export class AgePipe implements PipeTransform {
  transform(isoTime: string | null | undefined): string {
    return isoTime ? formatAge(isoTime) : '—';
  }
}

@Pipe({ name: 'bikeTitle' })
export class BikeTitlePipe implements PipeTransform {
  transform(bike: Pick<Bike, 'year' | 'make' | 'model' | 'trim'> | null): string {
    return bikeTitle(bike);
  }
}

@Pipe({ name: 'category' })
export class CategoryPipe implements PipeTransform {
  transform(key: string): string {
    return categoryLabel(key);
  }
}
