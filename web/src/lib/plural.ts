const numberFormat = new Intl.NumberFormat('en-US');

/** "1 user", "2 users", "1,204 users". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${numberFormat.format(count)} ${count === 1 ? singular : plural}`;
}

/** "12 users", or "1,000+ users" when counting stopped before the end. */
export function countLabel(count: number, exact: boolean, singular: string, plural = `${singular}s`): string {
  return exact ? pluralize(count, singular, plural) : `${numberFormat.format(count)}+ ${plural}`;
}
