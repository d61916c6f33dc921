export const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
export const dollars = (x: number, digits = 2) =>
  `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
export const count = (x: number) => x.toLocaleString('en-US');
export const when = (iso: string | null | undefined) =>
  iso ? `${new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC` : '—';
