/**
 * The wall's pages. They come from the backend's dashboard definitions (GET /api/v1/dashboards); while a
 * backend does not serve them, the wall uses these five, written and validated through the same schema
 * (`@dxoc/dashboards`), with metric codes of the seeded catalogue.
 */
import { DashboardPage, type DashboardPageInput } from '@dxoc/dashboards/schema';

export type { DashboardPage };
export type Panel = DashboardPage['panels'][number];

const t = (vi: string, en: string) => ({ vi, en });

export const BUILT_IN_PAGES: DashboardPageInput[] = [
  {
    schemaVersion: 1,
    id: 'national-overview',
    title: t('Tổng quan quốc gia', 'National overview'),
    order: 0,
    rotateSeconds: 40,
    panels: [
      { id: 'kpi-services', kind: 'kpi', title: t('Dịch vụ công trực tuyến trên Cổng DVC quốc gia', 'Online public services on the national portal'), position: { x: 0, y: 0, w: 3, h: 2 }, query: { metric: 'dvc.services_online', units: ['VN'], range: '10y' } },
      { id: 'kpi-end-to-end', kind: 'kpi', title: t('Hồ sơ trực tuyến toàn trình', 'Dossiers processed fully online'), position: { x: 3, y: 0, w: 3, h: 2 }, query: { metric: 'dvc.end_to_end_dossier_share', units: ['VN'], range: '10y' }, display: { decimals: 1 } },
      { id: 'kpi-population', kind: 'kpi', title: t('Công dân trong CSDL quốc gia về dân cư', 'Citizens in the National Population Database'), position: { x: 6, y: 0, w: 3, h: 2 }, query: { metric: 'population.citizen_records', units: ['VN'], range: '10y' } },
      { id: 'kpi-digital-economy', kind: 'kpi', title: t('Kinh tế số trong GDP', 'Digital economy share of GDP'), position: { x: 9, y: 0, w: 3, h: 2 }, query: { metric: 'digital_economy.gdp_share', units: ['VN'], range: '10y' }, display: { decimals: 2 } },
      { id: 'map-end-to-end', kind: 'map', title: t('Hồ sơ trực tuyến toàn trình theo tỉnh, thành phố', 'Dossiers fully online by province'), position: { x: 0, y: 2, w: 4, h: 6 }, query: { metric: 'dvc.end_to_end_dossier_share', units: 'provinces' }, display: { decimals: 1 } },
      { id: 'live-einvoices', kind: 'timeseries', title: t('Hóa đơn điện tử phát hành — trực tiếp', 'E-invoices issued — live'), position: { x: 4, y: 2, w: 5, h: 3 }, query: { metric: 'einvoice.issued', units: ['VN'], range: '24h' } },
      { id: 'rank-applications', kind: 'ranking', title: t('Hồ sơ trực tuyến tiếp nhận trong ngày', 'Online applications received today'), position: { x: 4, y: 5, w: 5, h: 3 }, query: { metric: 'onestop.applications_received', units: 'provinces' }, display: { top: 4, bottom: 3 } },
      { id: 'alerts', kind: 'alerts', title: t('Cảnh báo đang kích hoạt', 'Active alerts'), position: { x: 9, y: 2, w: 3, h: 6 }, display: { minSeverity: 'info', maxItems: 8 } },
    ],
  },
  {
    schemaVersion: 1,
    id: 'online-public-services',
    title: t('Dịch vụ công trực tuyến', 'Online public services'),
    order: 1,
    rotateSeconds: 30,
    panels: [
      { id: 'kpi-services', kind: 'kpi', title: t('Dịch vụ công trực tuyến tích hợp', 'Online services integrated'), position: { x: 0, y: 0, w: 3, h: 2 }, query: { metric: 'dvc.services_online', units: ['VN'], range: '10y' } },
      { id: 'kpi-level4', kind: 'kpi', title: t('Dịch vụ công mức độ 4', 'Services at level 4'), position: { x: 3, y: 0, w: 3, h: 2 }, query: { metric: 'dvc.level4_share', units: ['VN'], range: '10y' }, display: { decimals: 1 } },
      { id: 'kpi-project06', kind: 'kpi', title: t('Dịch vụ thiết yếu Đề án 06', 'Project 06 essential services'), position: { x: 6, y: 0, w: 3, h: 2 }, query: { metric: 'dvc.project06_services', units: ['VN'], range: '10y' } },
      { id: 'kpi-end-to-end', kind: 'kpi', title: t('Hồ sơ trực tuyến toàn trình', 'Dossiers processed fully online'), position: { x: 9, y: 0, w: 3, h: 2 }, query: { metric: 'dvc.end_to_end_dossier_share', units: ['VN'], range: '10y' }, display: { decimals: 1 } },
      { id: 'map-level4', kind: 'map', title: t('Dịch vụ công mức độ 4 theo tỉnh, thành phố', 'Level-4 services by province'), position: { x: 0, y: 2, w: 4, h: 6 }, query: { metric: 'dvc.level4_share', units: 'provinces' }, display: { decimals: 1 } },
      { id: 'rank-end-to-end', kind: 'ranking', title: t('Xếp hạng hồ sơ trực tuyến toàn trình — tỉnh, thành phố', 'Dossiers fully online — provinces ranked'), position: { x: 4, y: 2, w: 4, h: 6 }, query: { metric: 'dvc.end_to_end_dossier_share', units: 'provinces' }, display: { top: 7, bottom: 7, decimals: 1 } },
      { id: 'live-applications', kind: 'timeseries', title: t('Hồ sơ trực tuyến tiếp nhận — toàn quốc', 'Online applications received — nationwide'), position: { x: 8, y: 2, w: 4, h: 3 }, query: { metric: 'onestop.applications_received', units: ['VN'], range: '30d', bucket: '1d' } },
      { id: 'rank-ministries', kind: 'ranking', title: t('Xếp hạng bộ, ngành — toàn trình', 'Ministries ranked — fully online'), position: { x: 8, y: 5, w: 4, h: 3 }, query: { metric: 'dvc.end_to_end_dossier_share', units: 'ministries' }, display: { top: 3, bottom: 3, decimals: 1 } },
    ],
  },
  {
    schemaVersion: 1,
    id: 'population-data',
    title: t('Dữ liệu dân cư và định danh điện tử', 'Population data and electronic identity'),
    order: 2,
    rotateSeconds: 30,
    panels: [
      { id: 'kpi-population', kind: 'kpi', title: t('Công dân trong CSDL quốc gia về dân cư', 'Citizens in the National Population Database'), position: { x: 0, y: 0, w: 4, h: 2 }, query: { metric: 'population.citizen_records', units: ['VN'], range: '10y' } },
      { id: 'kpi-vneid', kind: 'kpi', title: t('Tài khoản VNeID đã kích hoạt', 'VNeID accounts activated'), position: { x: 4, y: 0, w: 4, h: 2 }, query: { metric: 'vneid.accounts_activated', units: ['VN'], range: '10y' } },
      { id: 'kpi-ndxp', kind: 'kpi', title: t('Giao dịch qua NDXP (lũy kế)', 'NDXP transactions (cumulative)'), position: { x: 8, y: 0, w: 4, h: 2 }, query: { metric: 'ndxp.transactions', units: ['VN'], range: '90d' } },
      { id: 'map-vneid', kind: 'map', title: t('Tài khoản VNeID theo tỉnh, thành phố', 'VNeID accounts by province'), position: { x: 0, y: 2, w: 4, h: 6 }, query: { metric: 'vneid.accounts_activated', units: 'provinces' } },
      { id: 'trend-vneid', kind: 'timeseries', title: t('Tài khoản VNeID — toàn quốc', 'VNeID accounts — nationwide'), position: { x: 4, y: 2, w: 8, h: 3 }, query: { metric: 'vneid.accounts_activated', units: ['VN'], range: '12mo', bucket: '1w' } },
      { id: 'rank-population', kind: 'ranking', title: t('Công dân có dữ liệu — tỉnh, thành phố', 'Citizen records — provinces'), position: { x: 4, y: 5, w: 8, h: 3 }, query: { metric: 'population.citizen_records', units: 'provinces' }, display: { top: 4, bottom: 3 } },
    ],
  },
  {
    schemaVersion: 1,
    id: 'e-invoices',
    title: t('Hóa đơn điện tử và kinh tế số', 'E-invoices and the digital economy'),
    order: 3,
    rotateSeconds: 30,
    panels: [
      { id: 'kpi-einvoices', kind: 'kpi', title: t('Hóa đơn điện tử phát hành trong ngày', 'E-invoices issued per day'), position: { x: 0, y: 0, w: 4, h: 2 }, query: { metric: 'einvoice.issued', units: ['VN'], range: '30d', bucket: '1d' } },
      { id: 'kpi-digital-economy', kind: 'kpi', title: t('Kinh tế số trong GDP', 'Digital economy share of GDP'), position: { x: 4, y: 0, w: 4, h: 2 }, query: { metric: 'digital_economy.gdp_share', units: ['VN'], range: '10y' }, display: { decimals: 2 } },
      { id: 'kpi-digitech', kind: 'kpi', title: t('Doanh nghiệp công nghệ số thành lập mới', 'New digital-technology enterprises'), position: { x: 8, y: 0, w: 4, h: 2 }, query: { metric: 'digitech.new_enterprises', units: ['VN'], range: '2y' } },
      { id: 'live-einvoices', kind: 'timeseries', title: t('Hóa đơn điện tử — trực tiếp, toàn quốc', 'E-invoices — live, nationwide'), position: { x: 4, y: 2, w: 8, h: 3 }, query: { metric: 'einvoice.issued', units: ['VN'], range: '24h' } },
      { id: 'map-einvoices', kind: 'map', title: t('Hóa đơn điện tử theo tỉnh, thành phố', 'E-invoices by province'), position: { x: 0, y: 2, w: 4, h: 6 }, query: { metric: 'einvoice.issued', units: 'provinces' } },
      { id: 'rank-einvoices', kind: 'ranking', title: t('Xếp hạng hóa đơn điện tử — tỉnh, thành phố', 'E-invoices — provinces ranked'), position: { x: 4, y: 5, w: 8, h: 3 }, query: { metric: 'einvoice.issued', units: 'provinces' }, display: { top: 4, bottom: 3 } },
    ],
  },
  {
    schemaVersion: 1,
    id: 'reporting-compliance',
    title: t('Tuân thủ chế độ báo cáo', 'Reporting compliance'),
    order: 4,
    rotateSeconds: 30,
    panels: [
      {
        id: 'compliance-provinces',
        kind: 'compliance',
        title: t('Tỉnh, thành phố báo cáo kỳ hiện tại', 'Provinces reporting for the current period'),
        position: { x: 0, y: 0, w: 8, h: 8 },
        metrics: ['onestop.applications_received', 'dvc.end_to_end_dossier_share', 'dvc.level4_share', 'edoc.electronic_share'],
        units: 'provinces',
      },
      {
        id: 'compliance-ministries',
        kind: 'compliance',
        title: t('Bộ, ngành báo cáo kỳ hiện tại', 'Ministries reporting for the current period'),
        position: { x: 8, y: 0, w: 4, h: 5 },
        metrics: ['onestop.applications_received', 'dvc.end_to_end_dossier_share'],
        units: 'ministries',
        display: { maxItems: 17 },
      },
      { id: 'alerts', kind: 'alerts', title: t('Cảnh báo', 'Alerts'), position: { x: 8, y: 5, w: 4, h: 3 }, display: { minSeverity: 'info', maxItems: 5 } },
    ],
  },
];

/** Validate through the shared schema; a page that fails is left out and reported, never half-drawn. */
export function parsePages(input: unknown[]): { pages: DashboardPage[]; errors: string[] } {
  const pages: DashboardPage[] = [];
  const errors: string[] = [];
  input.forEach((raw, index) => {
    const result = DashboardPage.safeParse(raw);
    if (result.success) pages.push(result.data);
    else errors.push(`page ${index}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  });
  pages.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { pages, errors };
}

export function builtInPages(): DashboardPage[] {
  return parsePages(BUILT_IN_PAGES).pages;
}

/** Rotation: the page after `current`, or the pinned one. */
export function nextPageIndex(count: number, current: number): number {
  return count === 0 ? 0 : (current + 1) % count;
}

export type KpiPanel = Extract<Panel, { kind: 'kpi' }>;
export type MapPanel = Extract<Panel, { kind: 'map' }>;
export type RankingPanel = Extract<Panel, { kind: 'ranking' }>;
export type TimeseriesPanel = Extract<Panel, { kind: 'timeseries' }>;
export type AlertsPanel = Extract<Panel, { kind: 'alerts' }>;
export type CompliancePanel = Extract<Panel, { kind: 'compliance' }>;
