'use client';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** A small line over time; gaps where the value had no definition yet. */
export function Trend({
  points,
  label,
  format,
}: {
  points: { at: string; value: number | null }[];
  label: string;
  format: (x: number) => string;
}) {
  const defined = points.filter((p) => p.value !== null);
  if (defined.length < 2) return <p className="muted">Trend: not enough data yet</p>;
  return (
    <figure className="spark" aria-label={`${label} trend`} role="img">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          data={points.map((p) => ({ at: p.at.slice(5, 10), value: p.value }))}
          margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
        >
          <XAxis dataKey="at" hide />
          <YAxis hide domain={['auto', 'auto']} />
          <Tooltip formatter={(v) => format(Number(v))} />
          <Line
            type="monotone"
            dataKey="value"
            stroke="#0b5cad"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
