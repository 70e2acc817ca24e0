const numberFormat = new Intl.NumberFormat('en-US');

/** "1 user", "2 users", "1,204 users". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${numberFormat.format(count)} ${count === 1 ? singular : plural}`;
}
