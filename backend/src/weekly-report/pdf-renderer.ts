/**
 * Draws a weekly report into a PDF: text with the bundled DejaVu Sans TTF (npm dejavu-fonts-ttf, Bitstream Vera
 * licence, free to bundle; every Vietnamese diacritic is in it), charts rendered by echarts' server-side SVG
 * renderer and drawn with svg-to-pdfkit. No browser, nothing fetched at runtime. Pure drawing: the figures are
 * assembled elsewhere.
 */
import { createRequire } from 'node:module';
import type * as EChartsModule from 'echarts';

const require = createRequire(import.meta.url);

interface PdfDoc {
  registerFont(name: string, path: string): PdfDoc;
  font(name: string): PdfDoc;
  fontSize(size: number): PdfDoc;
  text(text: string, options?: Record<string, unknown>): PdfDoc;
  moveDown(lines?: number): PdfDoc;
  addPage(): PdfDoc;
  on(event: 'data', listener: (chunk: Buffer) => void): PdfDoc;
  on(event: 'end', listener: () => void): PdfDoc;
  end(): void;
  y: number;
}
type PdfCtor = new (options: Record<string, unknown>) => PdfDoc;
type SvgToPdf = (doc: PdfDoc, svg: string, x: number, y: number, options?: Record<string, unknown>) => void;

type ECharts = typeof EChartsModule;

interface DrawingLibraries {
  echarts: ECharts;
  PDFDocument: PdfCtor;
  SVGtoPDF: SvgToPdf;
}

/**
 * echarts, pdfkit and svg-to-pdfkit take ~0.7 s to load: they load with the first report drawn, not with every
 * `dxoc` command and server start (a weekly report is drawn once a week). Loaded once per process.
 */
let libraries: Promise<DrawingLibraries> | null = null;
function drawingLibraries(): Promise<DrawingLibraries> {
  libraries ??= import('echarts').then((echarts) => ({
    echarts,
    PDFDocument: require('pdfkit') as PdfCtor,
    SVGtoPDF: require('svg-to-pdfkit') as SvgToPdf,
  }));
  return libraries;
}

const FONT_DIR = `${require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, '')}ttf/`;
export const REPORT_FONT_FAMILY = 'DejaVu Sans';
/** A4 in points, and the margin on every side. */
const PAGE_HEIGHT = 841;
const MARGIN = 48;

export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'chart'; option: Record<string, unknown>; width: number; height: number };

/** An ECharts option as an SVG string (server-side rendering, no DOM). */
function renderChartSvg(echarts: ECharts, option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export async function renderReportPdf(title: string, blocks: readonly ReportBlock[]): Promise<Buffer> {
  const { echarts, PDFDocument, SVGtoPDF } = await drawingLibraries();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: title } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    try {
      doc.registerFont('body', `${FONT_DIR}DejaVuSans.ttf`).registerFont('bold', `${FONT_DIR}DejaVuSans-Bold.ttf`);
      doc.font('bold').fontSize(16).text(title).moveDown();
      blocks.forEach((block, i) => {
        if (block.kind === 'heading') {
          // a heading is never the last line of a page: it goes with what follows it (a chart, or a few lines)
          const next = blocks[i + 1];
          const keep = next?.kind === 'chart' ? next.height + 40 : 80;
          if (doc.y > PAGE_HEIGHT - MARGIN - keep) doc.addPage();
          doc.font('bold').fontSize(12).text(block.text).moveDown(0.3);
        } else if (block.kind === 'paragraph') doc.font('body').fontSize(10).text(block.text).moveDown(0.3);
        else {
          if (doc.y + block.height > PAGE_HEIGHT - MARGIN) doc.addPage();
          const svg = renderChartSvg(echarts, block.option, block.width, block.height);
          SVGtoPDF(doc, svg, MARGIN, doc.y, {
            width: block.width,
            height: block.height,
            // echarts sizes in pixels: one pixel per point, so the chart fills the height it was given
            assumePt: true,
            fontCallback: () => `${FONT_DIR}DejaVuSans.ttf`,
          });
          doc.y += block.height;
          doc.moveDown();
        }
      });
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
