'use client';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { percent, when } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import type { Arm, Lift, PersonaLearning } from '../lib/types.ts';
import { useLoad } from '../lib/use-load.ts';
import { Status } from './Status.tsx';

const CHOICE_LABELS: Record<string, string> = {
  hook_pattern: 'Hook pattern',
  length: 'Length',
  closing: 'Closing',
  emoji: 'Emoji',
  hour: 'Hour (UTC)',
};

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

/** The chance each arm is picked now, as bars. */
function ChoiceChart({ label, arms }: { label: string; arms: Arm[] }) {
  const rows = arms.map((a) => ({
    arm: a.arm.replaceAll('_', ' '),
    probability: Math.round(a.probability * 1000) / 10,
  }));
  return (
    <figure className="chart small" role="img" aria-label={`${label}: chance each option is chosen now`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="arm" interval={0} tick={{ fontSize: 11 }} />
          <YAxis unit="%" domain={[0, 100]} width={52} />
          <Tooltip formatter={(v) => `${v}%`} />
          <Bar dataKey="probability" name="chance chosen" fill="#0b5cad" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Mean reward ± its uncertainty as a floating bar, so arms with few posts look as unsure as they are. */
function RewardChart({ label, arms }: { label: string; arms: Arm[] }) {
  const rows = arms.map((a) => ({
    arm: a.arm.replaceAll('_', ' '),
    range: [a.mean_reward - a.uncertainty, a.mean_reward + a.uncertainty],
  }));
  return (
    <figure className="chart small" role="img" aria-label={`${label}: mean reward of each option, ± its uncertainty`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="arm" interval={0} tick={{ fontSize: 11 }} />
          <YAxis width={52} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(v) => (Array.isArray(v) ? `${v[0].toFixed(3)} to ${v[1].toFixed(3)}` : String(v))} />
          <Bar dataKey="range" name="mean reward ± sd" fill="#17663a" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function LiftLine({ lift }: { lift: Lift }) {
  const posts = `${lift.learned_posts} learned and ${lift.control_posts} control posts rewarded`;
  if (lift.ratio === null || lift.lower === null || lift.upper === null)
    return (
      <p data-testid="lift" data-ratio="null">
        <strong>Lift vs control:</strong> not enough data yet ({posts}; it needs 2 of each)
      </p>
    );
  return (
    <p data-testid="lift" data-ratio={lift.ratio}>
      <strong>Lift vs control:</strong> ×{lift.ratio.toFixed(2)} (95% interval ×{lift.lower.toFixed(2)} to ×
      {lift.upper.toFixed(2)}), from {posts}
      {lift.lower > 1 ? ': better than control' : lift.upper < 1 ? ': worse than control' : ': not yet distinguishable'}
    </p>
  );
}

/** What the learning loop has learned for a persona: GET /v1/personas/:id/learning. */
export function LearningPanel({ personaId, version }: { personaId: string; version: string }) {
  const { api } = useSession();
  const learning = useLoad(
    (signal) => api<PersonaLearning>(`/v1/personas/${personaId}/learning`, { signal }),
    [personaId, version],
  );
  return (
    <Status loaded={learning}>
      {(l) => (
        <div data-testid="learning">
          <p>
            <strong>Learning:</strong> <span data-testid="learning-mode">{l.learning}</span> ·{' '}
            <strong>autopilot:</strong>{' '}
            <span data-testid="learning-autopilot">{l.autopilot ? `${l.autopilot.posts_per_day} a day` : 'off'}</span> ·{' '}
            {l.rewards.rewarded} posts rewarded, {l.rewards.pending} still too young · policy {l.policy_version}
          </p>
          <LiftLine lift={l.lift} />
          {l.learning === 'off' && (
            <p className="muted">Learning is off: every option is equally likely, whatever has worked.</p>
          )}
          <div className="choices">
            {l.choices.map(({ choice, arms }) => {
              const label = CHOICE_LABELS[choice] ?? choice;
              return (
                <section key={choice} className="card" aria-labelledby={`choice-${choice}`} data-choice={choice}>
                  <h4 id={`choice-${choice}`}>{label}</h4>
                  <ChoiceChart label={label} arms={arms} />
                  <RewardChart label={label} arms={arms} />
                  <div className="table-wrap">
                    <table>
                      <caption className="muted">{label}: what each option has earned</caption>
                      <thead>
                        <tr>
                          <th>Option</th>
                          <th className="num">Posts</th>
                          <th className="num">Reward ± sd</th>
                          <th className="num">Chance</th>
                        </tr>
                      </thead>
                      <tbody>
                        {arms.map((a) => (
                          <tr
                            key={a.arm}
                            data-arm={a.arm}
                            data-pulls={a.pulls}
                            data-mean={a.mean_reward}
                            data-uncertainty={a.uncertainty}
                            data-probability={a.probability}
                          >
                            <td>{a.arm.replaceAll('_', ' ')}</td>
                            <td className="num">{a.pulls}</td>
                            <td className="num">
                              {signed(a.mean_reward)} ± {a.uncertainty.toFixed(3)}
                            </td>
                            <td className="num">{percent(a.probability)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              );
            })}
          </div>
          <p className="muted">
            Reward: ln of a post's engagement rate over the persona's recent baseline (0 is the baseline). Predictor:{' '}
            {l.predictor.trained_at
              ? `trained ${when(l.predictor.trained_at)}, rank correlation ${l.predictor.spearman?.toFixed(2) ?? '—'} vs baseline ${l.predictor.baseline_spearman?.toFixed(2) ?? '—'}`
              : 'not trained yet'}
            .
          </p>
        </div>
      )}
    </Status>
  );
}
