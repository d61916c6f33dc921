/**
 * Ridge regression by the normal equations, (XᵀX + Λ)β = Xᵀy, solved with a Cholesky factorisation.
 * Λ is diagonal: each feature has its own penalty (0 for the intercept).
 */
export function fitRidge(rows: readonly number[][], y: readonly number[], penalties: readonly number[]): number[] {
  const d = penalties.length;
  const a = Array.from({ length: d }, () => new Float64Array(d));
  const b = new Float64Array(d);
  for (const [r, x] of rows.entries()) {
    for (let i = 0; i < d; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      b[i]! += xi * y[r]!;
      const ai = a[i]!;
      for (let j = 0; j <= i; j++) ai[j]! += xi * x[j]!;
    }
  }
  for (let i = 0; i < d; i++) a[i]![i]! += penalties[i]! + 1e-9;
  // In place: the lower triangle becomes L with LLᵀ = A.
  for (let j = 0; j < d; j++) {
    const aj = a[j]!;
    let diag = aj[j]!;
    for (let k = 0; k < j; k++) diag -= aj[k]! ** 2;
    const ljj = Math.sqrt(Math.max(diag, 1e-12));
    aj[j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ai = a[i]!;
      let sum = ai[j]!;
      for (let k = 0; k < j; k++) sum -= ai[k]! * aj[k]!;
      ai[j] = sum / ljj;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= a[i]![k]! * z[k]!;
    z[i] = sum / a[i]![i]!;
  }
  const beta = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < d; k++) sum -= a[k]![i]! * beta[k]!;
    beta[i] = sum / a[i]![i]!;
  }
  return beta;
}

export const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

/** Spearman's rank correlation (average ranks for ties); null with fewer than 3 pairs or no spread. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 3 || a.length !== b.length) return null;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return da === 0 || db === 0 ? null : num / Math.sqrt(da * db);
}

function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}
