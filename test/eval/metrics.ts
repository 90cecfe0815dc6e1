/** Clustering quality: B-cubed and pairwise precision/recall/F1 of predicted vs gold labels. */
export interface Scores {
  b3: { p: number; r: number; f1: number };
  pair: { p: number; r: number; f1: number };
  predicted: number;
  gold: number;
}

const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);

export function scoreClustering(pred: ReadonlyMap<string, string>, gold: ReadonlyMap<string, string>): Scores {
  const pc = new Map<string, Set<string>>();
  const gc = new Map<string, Set<string>>();
  for (const [id, g] of gold) {
    const p = pred.get(id) ?? `solo-${id}`;
    if (!pc.has(p)) pc.set(p, new Set());
    if (!gc.has(g)) gc.set(g, new Set());
    pc.get(p)?.add(id);
    gc.get(g)?.add(id);
  }
  let P = 0;
  let R = 0;
  for (const [id, g] of gold) {
    const p = pc.get(pred.get(id) ?? `solo-${id}`) as Set<string>;
    const gs = gc.get(g) as Set<string>;
    let inter = 0;
    for (const x of p) if (gs.has(x)) inter++;
    P += inter / p.size;
    R += inter / gs.size;
  }
  P /= gold.size;
  R /= gold.size;
  let tp = 0;
  for (const p of pc.values()) {
    const byGold = new Map<string, number>();
    for (const id of p) byGold.set(gold.get(id) as string, (byGold.get(gold.get(id) as string) ?? 0) + 1);
    for (const n of byGold.values()) tp += (n * (n - 1)) / 2;
  }
  const pairs = (m: Map<string, Set<string>>) => [...m.values()].reduce((s, v) => s + (v.size * (v.size - 1)) / 2, 0);
  const pp = pairs(pc);
  const gp = pairs(gc);
  const pairP = pp ? tp / pp : 0;
  const pairR = gp ? tp / gp : 0;
  return { b3: { p: P, r: R, f1: f1(P, R) }, pair: { p: pairP, r: pairR, f1: f1(pairP, pairR) }, predicted: pc.size, gold: gc.size };
}
