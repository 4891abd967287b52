/** Median, minimum and maximum of a set of measurements. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  count: number;
}

/** Summarises measurements; an even count takes the mean of the two middle values. */
export function summarise(values: number[]): Summary {
  if (values.length === 0) {
    return { median: Number.NaN, min: Number.NaN, max: Number.NaN, count: 0 };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], count: sorted.length };
}

/** Formats a summary as "median (min–max) unit", with the given number of decimals. */
export function formatSummary(summary: Summary, unit: string, decimals = 2): string {
  if (summary.count === 0) {
    return 'not measured';
  }
  const show = (value: number): string => value.toFixed(decimals);
  if (summary.count === 1) {
    return `${show(summary.median)} ${unit} (1 run)`;
  }
  return `${show(summary.median)} ${unit} (min ${show(summary.min)}, max ${show(summary.max)}, ${summary.count} runs)`;
}
