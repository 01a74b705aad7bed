// The one grow-by-doubling of the engine's typed-array builders: chunk columns, the lexical builder and its pages.

/** `a`, or a copy at least twice as long when it holds fewer than `need` items. */
export function grown<A extends Uint8Array | Uint16Array | Uint32Array>(a: A, need: number): A {
  if (need <= a.length) return a;
  const more = new (a.constructor as new (length: number) => A)(Math.max(need, a.length * 2));
  more.set(a);
  return more;
}
