import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { EChartsOption } from 'echarts';
import type { init } from './echarts';
import { loadECharts } from './load-echarts';
import { smallestFontSize } from './options/common';

type Instance = ReturnType<typeof init>;

/** What a click on a chart element tells: the series item or category label (map regions by name). */
export interface ChartClick {
  componentType: string;
  name?: string;
  dataIndex?: number;
  value?: unknown;
}

/** The size of an element, followed as it changes (null before it is laid out). */
export function useBoxSize(element: HTMLElement | null): { width: number; height: number } | null {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    if (!element) return;
    const measure = () =>
      setSize((old) =>
        old && old.width === element.clientWidth && old.height === element.clientHeight
          ? old
          : { width: element.clientWidth, height: element.clientHeight },
      );
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    measure();
    return () => observer.disconnect();
  }, [element]);
  return size;
}

/** How many charts are alive: the soak script and the browser tests check that pages dispose theirs. */
export const chartStats = { alive: 0, created: 0, disposed: 0 };
if (typeof window !== 'undefined') (window as unknown as { __dxocCharts: typeof chartStats }).__dxocCharts = chartStats;

/**
 * A dumb wrapper: renders the option it is given, follows its box's size, and disposes the chart when it
 * unmounts (a wall that rotates pages for days must not leak charts).
 */
export function EChart({
  option,
  className,
  style,
  label,
  onClick,
}: {
  option: EChartsOption;
  className?: string;
  style?: CSSProperties;
  label?: string;
  /** a click on a series item (bar, region, point) or on a label of an axis with triggerEvent */
  onClick?: (click: ChartClick) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Instance | null>(null);
  const clickHandler = useRef(onClick);
  clickHandler.current = onClick;
  // the option to draw once ECharts has loaded (it loads after the first paint, see load-echarts.ts)
  const latestOption = useRef(option);
  latestOption.current = option;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let instance: Instance | null = null;
    let observer: ResizeObserver | null = null;
    let unmounted = false;
    loadECharts()
      .then(({ init }) => {
        if (unmounted) return;
        const created = init(element, undefined, { renderer: 'canvas' });
        instance = created;
        chart.current = created;
        created.on('click', (params) => clickHandler.current?.(params as ChartClick));
        chartStats.alive++;
        chartStats.created++;
        observer = new ResizeObserver(() => created.resize());
        observer.observe(element);
        created.setOption(latestOption.current, { notMerge: true, lazyUpdate: true });
      })
      // a failed download leaves the box empty (the panel's texts still show); the next mount tries again
      .catch((error: unknown) => console.error('charts could not be loaded', error));
    return () => {
      unmounted = true;
      observer?.disconnect();
      if (!instance) return;
      instance.dispose();
      chart.current = null;
      chartStats.alive--;
      chartStats.disposed++;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  // what the canvas will draw is not in the DOM: its smallest font is, for the legibility test
  const minFont = useMemo(() => smallestFontSize(option), [option]);

  return (
    <div
      ref={box}
      className={className}
      data-min-font={minFont ?? undefined}
      style={{ width: '100%', height: '100%', ...(onClick ? { cursor: 'pointer' } : {}), ...style }}
      role="img"
      aria-label={label}
    />
  );
}
