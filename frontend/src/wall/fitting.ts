import { useLayoutEffect, useState } from 'react';

/**
 * How many items of a list fit whole in its box, for lists that would otherwise be cut at a panel's edge (alerts,
 * compliance cards). Every item stays laid out; those past the fit are hidden (`overflowStyle`) and a line that
 * counts them (`data-fit-more`, placed with `moreStyle`) takes the place below the last one shown. Measuring never
 * depends on what is hidden, so it settles in one pass; it is repeated when the list or any item changes size (a
 * longer message, a font that finished loading, a resized screen).
 */
export function useFitting(list: HTMLElement | null, content: unknown): { fits: number | null; moreTop: number } {
  const [fit, setFit] = useState<{ fits: number | null; moreTop: number }>({ fits: null, moreTop: 0 });
  const [tick, setTick] = useState(0);
  useLayoutEffect(() => {
    if (!list) return;
    const observer = new ResizeObserver(() => setTick((n) => n + 1));
    observer.observe(list);
    for (const item of list.children) observer.observe(item);
    return () => observer.disconnect();
  }, [list, content]);
  useLayoutEffect(() => {
    if (!list) return;
    const top = list.getBoundingClientRect().top;
    const items = [...list.children].filter((el) => !el.hasAttribute('data-fit-more'));
    const bottoms = items.map((el) => el.getBoundingClientRect().bottom - top);
    const available = list.clientHeight + 0.5;
    let next: { fits: number | null; moreTop: number };
    if (bottoms.every((b) => b <= available)) next = { fits: null, moreTop: 0 };
    else {
      const style = getComputedStyle(list);
      const gap = parseFloat(style.rowGap) || 0;
      const more = list.querySelector('[data-fit-more]') as HTMLElement | null;
      const moreHeight = more?.offsetHeight || parseFloat(style.fontSize) * 1.6;
      let fits = 0;
      let lowest = 0;
      for (let k = 1; k <= bottoms.length; k++) {
        const bottom = Math.max(lowest, bottoms[k - 1]!);
        if (bottom + gap + moreHeight > available) break;
        fits = k;
        lowest = bottom;
      }
      next = { fits, moreTop: fits ? lowest + gap : 0 };
    }
    setFit((old) => (old.fits === next.fits && Math.abs(old.moreTop - next.moreTop) < 0.5 ? old : next));
  }, [list, content, tick]);
  return fit;
}

/** Items past the fit keep their place (so measuring stays the same) but are not shown. */
export const overflowStyle = { visibility: 'hidden' } as const;

/** The counting line sits under the last item shown, over the hidden ones. */
export const moreStyle = (top: number) => ({ position: 'absolute', top, left: 0, right: 0 }) as const;
