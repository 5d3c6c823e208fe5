/**
 * Viet Nam in the UN E-Government Survey (UN DESA, biennial, even years): the published EGDI rank (of 193), rank
 * within ASEAN and score, with where each figure was read (shared/context/REFERENCE-DATA.md §4.1 and the notices).
 *
 * One source of truth for two readers: the backend seeds them as history (backend/src/catalog/seed/history.ts),
 * and the demo simulator sends them once at start through the ingest API, as an agent importing the survey would
 * (ingest/src/simulator/surveys.ts). The simulator never makes up a rank: these are the only EGDI values it sends.
 *
 * Dating: the survey's publication date when a source gives it (2024: 17 Sep), otherwise 1 July of the survey year,
 * 00:00 Asia/Ho_Chi_Minh.
 *
 * The source strings must not change: the seeder records one batch per source and skips a source it already
 * recorded, so a changed string would be seeded again as a new batch into every existing database.
 *
 * Not published in the sources (so not here):
 * - egdi.asean_rank for 2018, 2020 and 2022: the 2018 and 2020 conclusions only say "dưới mức trung bình (của)
 *   ASEAN" (below the ASEAN average), which is not a rank;
 * - egdi.score for 2014–2018 and 2022: not found.
 */
import type { SeedObservation } from '../catalog';

const NOTICE_82_2017 = 'Thông báo 82/TB-VPCP, 16/02/2017';
const NOTICE_82_2017_ASEAN = `${NOTICE_82_2017}: "Năm 2016, nước ta tụt hạng trong bảng xếp hạng ASEAN (từ 5 xuống 6), không đạt mức ASEAN 4 như mục tiêu tại Nghị quyết 36a"`;
const MIC_EGDI_2020 = 'https://english.mic.gov.vn/vietnam-jumps-two-places-in-un-e-government-rankings-197143304.htm';
const MIC_EGDI_2016 = 'https://english.mic.gov.vn/vietnam-moves-ten-places-on-e-government-development-un-survey-197132442.htm';
const BAOCHINHPHU_2024_08_31 =
  'https://en.baochinhphu.vn/print/prime-minister-highlights-major-outcomes-of-online-public-service-delivery-111240831202024245.htm';
const VIETNAMPLUS_EGDI_2024 = 'https://en.vietnamplus.vn/vietnam-climbs-15-places-in-un-e-government-index-post296815.vnp';

export const egdiSurveyFigures: readonly SeedObservation[] = [
  // ---------------------------------------------------------------------------
  // UN EGDI rank (of 193). Publication dates are not given in the sources except 2024.
  // ---------------------------------------------------------------------------
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    ts: '2014-07-01T00:00:00+07:00',
    value: 99,
    // 82/TB-VPCP: 89th in 2016, "tăng 10 bậc so với năm 2014".
    source: `${MIC_EGDI_2020}; ${NOTICE_82_2017}`,
  },
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    ts: '2016-07-01T00:00:00+07:00',
    value: 89,
    source: `${NOTICE_82_2017}; ${MIC_EGDI_2016}`,
  },
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    ts: '2018-07-01T00:00:00+07:00',
    value: 88,
    source: 'http://hanoitimes.vn/news/viet-nam/2018/08/81E0CAD0/… (address shortened in REFERENCE-DATA §4.1)',
  },
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    ts: '2020-07-01T00:00:00+07:00',
    value: 86,
    source: MIC_EGDI_2020,
  },
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    ts: '2022-07-01T00:00:00+07:00',
    value: 86,
    source: `${BAOCHINHPHU_2024_08_31}; https://vietnaminsider.vn/vietnam-ranked-76-193-countries-in-online-service-index/`,
  },
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    ts: '2024-09-17T00:00:00+07:00',
    value: 71,
    source: `${VIETNAMPLUS_EGDI_2024}; https://en.dangcongsan.vn/vietnam-today/vietnam-among-countries-with-very-high-e-government-development-index-20003969.html`,
  },

  // ---------------------------------------------------------------------------
  // UN EGDI rank within ASEAN. 2014 and 2016 from 82/TB-VPCP. 2024: "5th of 11 in South-East Asia"
  // (REFERENCE-DATA §4.1); the eleventh, Timor-Leste, was not an ASEAN member in 2024 and ranks far
  // below Viet Nam (71st), so the rank within ASEAN is the same 5th.
  // ---------------------------------------------------------------------------
  {
    metricCode: 'egdi.asean_rank',
    unitCode: 'VN',
    ts: '2014-07-01T00:00:00+07:00',
    value: 5,
    source: NOTICE_82_2017_ASEAN,
  },
  {
    metricCode: 'egdi.asean_rank',
    unitCode: 'VN',
    ts: '2016-07-01T00:00:00+07:00',
    value: 6,
    source: NOTICE_82_2017_ASEAN,
  },
  {
    metricCode: 'egdi.asean_rank',
    unitCode: 'VN',
    ts: '2024-09-17T00:00:00+07:00',
    value: 5,
    source: `${VIETNAMPLUS_EGDI_2024} ("5th of 11 in South-East Asia", REFERENCE-DATA §4.1)`,
  },

  // ---------------------------------------------------------------------------
  // UN EGDI score. 2014–2018 and 2022 scores were not found in the sources.
  // ---------------------------------------------------------------------------
  {
    metricCode: 'egdi.score',
    unitCode: 'VN',
    ts: '2020-07-01T00:00:00+07:00',
    value: 0.6667,
    source: `${MIC_EGDI_2020}; https://vnbusiness.vn/viet-nam/viet-nam-tang-2-bac-…-1070959.html (address shortened in REFERENCE-DATA §4.1)`,
  },
  {
    metricCode: 'egdi.score',
    unitCode: 'VN',
    ts: '2024-09-17T00:00:00+07:00',
    value: 0.7709,
    source: VIETNAMPLUS_EGDI_2024,
  },
];
