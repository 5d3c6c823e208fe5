import { useLayoutEffect, useState } from 'react';
import { useBoxSize } from '../charts/EChart';

let measureContext: CanvasRenderingContext2D | null = null;

/** The width of a text in an element's font, without laying it out. */
function textWidth(text: string, element: HTMLElement): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return 0;
  const style = getComputedStyle(element);
  measureContext.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return measureContext.measureText(text).width;
}

/**
 * A name that is never cut: the full name where it fits, otherwise its abbreviation by rule (lib/short-names), with
 * the full name on hover. The element takes the width its container gives it (a `minmax(0, 1fr)` column, `flex: 1`),
 * and is measured again whenever that width changes.
 */
export function FitText({ full, short, className }: { full: string; short: string; className?: string }) {
  const [element, setElement] = useState<HTMLSpanElement | null>(null);
  const width = useBoxSize(element)?.width;
  const [abbreviated, setAbbreviated] = useState(false);
  useLayoutEffect(() => {
    setAbbreviated(element !== null && short !== full && textWidth(full, element) > element.clientWidth + 0.5);
  }, [element, full, short, width]);
  return (
    <span ref={setElement} className={className} title={abbreviated ? full : undefined} data-abbreviated={abbreviated ? 'yes' : 'no'}>
      {abbreviated ? short : full}
    </span>
  );
}
