import Link from 'next/link';

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no dashboard page here. <Link href="/">Go to the overview</Link>.
      </p>
    </>
  );
}
