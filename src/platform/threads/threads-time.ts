/** Meta writes `2023-10-17T05:42:03+0000`; Date.parse wants a colon in the offset. */
export function parseThreadsTimestamp(timestamp: string): Date {
  const date = new Date(timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a Threads timestamp: ${timestamp}`);
  return date;
}
