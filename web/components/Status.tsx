import type { ReactNode } from 'react';
import type { Loaded } from '../lib/use-load.ts';

/** Loading, error and ready states of one load, so no page ever shows a blank area. */
export function Status<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.state === 'loading')
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (loaded.state === 'error')
    return (
      <p className="error" role="alert">
        Could not load: {loaded.message}
      </p>
    );
  return <>{children(loaded.data)}</>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
