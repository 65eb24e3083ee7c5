/**
 * How far the largest logit is ahead of the runner-up: a greedy choice (argmax) can be demanded to
 * match the reference exactly only when this margin exceeds the comparison's tolerance.
 */
export function topMargin(x: ArrayLike<number>): number {
  let a = -Infinity;
  let b = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > a) [a, b] = [v, a];
    else if (v > b) b = v;
  }
  return a - b;
}
