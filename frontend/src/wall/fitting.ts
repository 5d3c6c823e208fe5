import { useLayoutEffect, useState } from 'react';
import { useBoxSize } from '../charts/EChart';

/**
 * How many items of a list fit in its box, for lists that would otherwise be cut at a panel's edge (alerts,
 * compliance cards): all of them when they fit; otherwise those that fit whole, less one to leave room for the line
 * that counts the rest, and one fewer again while that line still does not fit. Measured after layout, again when the
 * box's size or `content` changes (pass what the items are made of).
 */
export function useFittingCount(list: HTMLElement | null, total: number, content: unknown): number {
  const size = useBoxSize(list);
  const [holds, setHolds] = useState<number | null>(null);
  useLayoutEffect(() => setHolds(null), [content, size?.width, size?.height]);
  useLayoutEffect(() => {
    if (!list || list.scrollHeight <= list.clientHeight + 1) return;
    if (holds !== null) {
      if (holds > 0) setHolds(holds - 1);
      return;
    }
    const bottom = list.getBoundingClientRect().bottom + 0.5;
    const inside = [...list.children].filter((item) => item.getBoundingClientRect().bottom <= bottom).length;
    setHolds(Math.max(0, inside - 1));
  }, [list, holds, content, size]);
  return holds === null ? total : Math.min(holds, total);
}
