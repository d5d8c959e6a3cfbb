// Go's units.HumanDuration, which `docker ps` shows in its STATUS column.
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 1) return 'Less than a second';
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.round(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return plural(hours, 'hour');
  const days = Math.round(hours / 24);
  if (hours < 24 * 7 * 2) return plural(days, 'day');
  if (hours < 24 * 30 * 2) return plural(Math.round(days / 7), 'week');
  if (hours < 24 * 365 * 2) return plural(Math.round(days / 30), 'month');
  return plural(Math.round(days / 365), 'year');
}
