import { describe, expect, it } from '@jest/globals';
import { bikeStream, buildStream, fitmentStream, isFitmentStream, parseStreamName, partStream, priceStream, retailerStream } from './stream-names.js';

const PART = '0b7c2c1e-8d3f-5a41-9c36-2b1f0e4d5a6b';
const BIKE = '6f1e2d3c-4b5a-5968-8776-655443322110';

describe('stream names', () => {
  it('names the streams of DESIGN §3', () => {
    expect([bikeStream(BIKE), partStream(PART), retailerStream(PART), buildStream(PART)]).toEqual([
      `bike-${BIKE}`,
      `part-${PART}`,
      `retailer-${PART}`,
      `build-${PART}`,
    ]);
    expect(fitmentStream(PART, BIKE)).toBe(`fitment-${PART}_${BIKE}`);
    expect(priceStream(PART, BIKE)).toBe(`price-${PART}_${BIKE}`);
  });

  it('parses a pair stream back into its ids', () => {
    expect(parseStreamName(fitmentStream(PART, BIKE))).toEqual({ kind: 'fitment', partId: PART, bikeId: BIKE });
    expect(parseStreamName(priceStream(PART, BIKE))).toEqual({ kind: 'price', partId: PART, retailerId: BIKE });
    expect(parseStreamName(bikeStream(BIKE))).toEqual({ kind: 'bike', bikeId: BIKE });
  });

  it('does not recognise names that are not ours', () => {
    expect(parseStreamName('$system-stream')).toBeUndefined();
    expect(parseStreamName(`fitment-${PART}`)).toBeUndefined();
    expect(parseStreamName('bike-')).toBeUndefined();
    expect(isFitmentStream(`price-${PART}_${BIKE}`)).toBe(false);
  });
});
