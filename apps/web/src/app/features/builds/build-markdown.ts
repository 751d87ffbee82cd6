import { Build } from '../../core/api/api-types';
import { bikeTitle, formatMoney } from '../../shared/formatting';
import { BuildTotals } from './build-totals';

/** Markdown cells must not break the table: pipes and line breaks are escaped. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** A build sheet a rider can paste into a forum post or a note, like PCPartPicker's export. */
export function buildMarkdown(build: Build, totals: BuildTotals, link: string): string {
  const lines = [
    `## ${cell(build.name)}`,
    '',
    `For the ${bikeTitle(build.bike)} · ${link}`,
    '',
    '| Part | Category | Qty | Price | Where |',
    '|---|---|---:|---:|---|',
    ...build.parts.map((line) => {
      const price = line.bestPrice;
      const elsewhere = (line.otherPrices ?? []).map((other) => formatMoney(other.priceCents, other.currency)).join(', ');
      const amount = price ? formatMoney(price.priceCents, price.currency) : '—';
      const where = price
        ? `${price.retailer.name}${price.inStock ? '' : ' (out of stock)'}`
        : elsewhere
          ? `no ${build.currency ?? ''} price (${elsewhere} elsewhere, not in the total)`
          : 'no price yet';
      return `| ${cell(`${line.part.brand} ${line.part.name}`)} | ${cell(line.part.category)} | ${line.quantity} | ${amount} | ${cell(where)} |`;
    }),
    '',
  ];
  if (totals.headline) lines.push(`**Total: ${formatMoney(totals.headline.amountCents, totals.headline.currency)}**`);
  if (totals.leftOut > 0) lines.push(`${totals.leftOut} ${totals.leftOut === 1 ? 'part has' : 'parts have'} no ${totals.headline?.currency ?? ''} price and ${totals.leftOut === 1 ? 'is' : 'are'} not in the total.`);
  for (const warning of build.warnings) lines.push(`> ⚠ ${cell(warning.message)}`);
  return lines.join('\n') + '\n';
}
