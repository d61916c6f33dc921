'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { SessionProvider, useStoredToken } from '../lib/session.tsx';
import { SignIn } from './SignIn.tsx';

const NAV = [
  { href: '/', label: 'Overview' },
  { href: '/personas/', label: 'Personas' },
  { href: '/generate/', label: 'Generate' },
  { href: '/review/', label: 'Review queue' },
  { href: '/posts/', label: 'Posts' },
  { href: '/costs/', label: 'Costs' },
  { href: '/revenue/', label: 'Revenue' },
];
// Shown, not linked, until those capabilities exist.
const LATER = ['Conversations', 'Leads'];

export function Shell({ children }: { children: ReactNode }) {
  const { token, notice, signIn, signOut } = useStoredToken();
  const pathname = usePathname();
  if (token === undefined)
    return (
      <main className="page">
        <p className="muted">Loading…</p>
      </main>
    );
  if (!token) return <SignIn notice={notice} onSignedIn={signIn} />;
  return (
    <SessionProvider token={token} signOut={signOut}>
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">threads-agent</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={pathname === item.href ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
            {LATER.map((label) => (
              <li key={label}>
                <span className="later" title="arrives with that capability">
                  {label} <small>(soon)</small>
                </span>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="content" className="page">
        {children}
      </main>
    </SessionProvider>
  );
}
