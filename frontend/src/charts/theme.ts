/** Colours of the wall and the console (dark, high contrast, readable across a room). */
export const COLORS = {
  bg: '#050b16',
  panel: '#0b1627',
  panelBorder: '#1b2c45',
  grid: '#1e3049',
  text: '#eef3fa',
  muted: '#93a7c1',
  dim: '#5d7390',
  accent: '#2ec4b6',
  gold: '#f4c542',
  good: '#3ddc97',
  warning: '#ffb020',
  critical: '#ff4d5e',
  info: '#4cc9f0',
  noData: '#26303d',
  stale: '#6b7785',
  series: ['#4cc9f0', '#f4c542', '#3ddc97', '#ff7aa2', '#b79cff', '#ff9f43', '#7bdff2', '#e0e0e0'],
} as const;

/** Sans-serif system fonts that cover Vietnamese; nothing downloaded. */
export const FONT_FAMILY = '"Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", Roboto, "Helvetica Neue", Arial, sans-serif';
