/**
 * Dated national figures with a citation, from shared/context/*.vi.txt, DIGEST.md and
 * REFERENCE-DATA.md §4. All values are for the nation (unitCode 'VN').
 *
 * Dating rules:
 * - a figure "as of" a day is dated that day, 00:00 Asia/Ho_Chi_Minh (+07:00);
 * - a figure for a whole year (e.g. "2019", GSO annual series) is dated 31 Dec of that year;
 * - a figure for a quarter or half-year is dated the last day of that period;
 * - UN EGDI: the survey's publication date when a source gives it (2024: 17 Sep), otherwise
 *   1 July of the survey year. The EGDI figures live in @dxoc/contracts/reference (egdi.ts), since
 *   the demo simulator sends the same published figures through the ingest API: one list for both.
 *
 * A figure added to a database seeded earlier must come with a source string of its own: the
 * seeder records one batch per source and skips a source it has already recorded, so a figure
 * added under an existing source would never reach that database. The figures added for
 * issue 15 therefore quote the sentence they come from.
 *
 * Left out on purpose (see the report that came with this file):
 * - 78 million population records (Apr 2022): the 27 Apr 2022 conclusions say "gần 78 triệu
 *   thông tin công dân với trên 133 triệu mũi tiêm chủng", i.e. vaccination data linked for
 *   ~78 M citizens, not the size of the National Population Database; stored under
 *   population.vaccination_citizen_records instead.
 * - 72% electronic documents in 2018: the April 2020 report says 86.5% "(tăng 14,5% so với năm
 *   2018)"; whether that is 14.5 points or 14.5 per cent is not stated, so no 2018 value.
 * - 3,680 portal services (vietbao.vn, "mid-2022", no exact date) and "over 4,400" (H1 report,
 *   year not shown): not clearly dated.
 * - NDXP: 180,919,031 is a 2021 annual total, not cumulative; "more than 1.35 bn cumulative" has
 *   no certain year.
 * - "About 40% of dossiers processed online" (Aug 2022), "97.3% of eligible services at level 4"
 *   (Aug 2022), "51.5% eligible services online" (Aug 2024), "55.5% of procedures end-to-end"
 *   (H1 2024): other definitions than the metrics here.
 * - MIC digital-economy policy estimates (16.5%, 18.3%) and the GSO first release: only the GSO
 *   revised series is stored.
 * - New digital-technology enterprises ("gần 500 so với năm 2021"): a difference, not a count.
 * - VNeID "roughly 67 million" (startwithidentity.com): undated.
 *
 * Indicators the notices give no figure for (catalogued for the systems they name, fed only by
 * live data or the demo simulator; nothing seeded):
 * - vneid.authentications: none; the "3–6 M users a day" of 2024–early 2025 (REFERENCE-DATA §4.3)
 *   counts users, not authentications.
 * - einvoice.businesses: the 2022 notice only says e-invoices are "triển khai toàn quốc";
 *   REFERENCE-DATA §4.5 found no citable count.
 * - edoc.documents_sent / edoc.documents_received: none in the notices; the "hơn 12,8 triệu văn bản
 *   điện tử" of a vietbao.vn headline (REFERENCE-DATA §4.2) has no period and no sent/received split.
 * - onestop.applications_resolved, onestop.on_time_share, onestop.digitised_share: none (the 2022
 *   notice sets the 1 Jun 2022 digitisation date, seeded as a target).
 * - ecabinet.paperless_meetings, ecabinet.documents_handled: none (8540/TB-VPCP of 2019 only orders
 *   e-Cabinet to be completed by the end of 2019).
 * - govreport.on_time_share: none (the April 2020 conclusions order the reporting systems to be
 *   connected; "30 ministries/localities connected" at the 2020 launch, ANCHORS.md, counts
 *   connections, not reports on time).
 * - insurance.participant_records: none (the April 2020 report says the social-insurance database
 *   was opened and connected, without a count).
 * - land.db_coverage: none (the 2022 notice asks for the land database to be sped up, no share).
 * - egdi.asean_rank for 2018, 2020 and 2022: the 2018 and 2020 conclusions only say "dưới mức trung
 *   bình (của) ASEAN" (below the ASEAN average), which is not a rank (see egdi.ts).
 */
import { type SeedObservation } from '@dxoc/contracts';
import { egdiSurveyFigures } from '@dxoc/contracts/reference';

/** One historical figure seeded as an observation. */
export type { SeedObservation };

/** April 2020 conclusions, held only as a TTXVN/Vietnam+ report (file 2020-04-ncegov-online-conference-news.vi.txt). */
const NOTICE_2020 =
  'Thông báo kết luận của Thủ tướng tại hội nghị trực tuyến Ủy ban Quốc gia về Chính phủ điện tử với các Ban Chỉ đạo CPĐT bộ, ngành, địa phương (TTXVN/Vietnam+, 4/2020)';
/** Conclusions of the second meeting of the National Committee on Digital Transformation. */
const NOTICE_2022 = 'Thông báo kết luận của Thủ tướng tại phiên họp thứ hai Ủy ban Quốc gia về chuyển đổi số, 27/4/2022';
/** The data linked into the National Population Database, as the 2022 conclusions list them. */
const NOTICE_2022_LINKED_DATA = `${NOTICE_2022}: "Cơ sở dữ liệu quốc gia về dân cư, được tích hợp, kết nối và mở rộng thu thập dữ liệu dân cư với trên 17 triệu thông tin bảo hiểm xã hội; gần 78 triệu thông tin công dân với trên 133 triệu mũi tiêm chủng; trên 570 nghìn thông tin dữ liệu về cán bộ, giáo viên; ... cấp trên 7 triệu số định danh cho trẻ em đăng ký khai sinh"`;
const NOTICE_2020_NETWORK = `${NOTICE_2020}: "Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước đã kết nối đến 100% cấp bộ, cấp tỉnh và 95% cấp huyện"`;

const BAOCHINHPHU_2024_08_31 =
  'https://en.baochinhphu.vn/print/prime-minister-highlights-major-outcomes-of-online-public-service-delivery-111240831202024245.htm';
const LAODONG_2025_04_22 = 'https://news.laodong.vn/xa-hoi/du-kien-tu-17-se-cap-tai-khoan-dinh-danh-cho-nguoi-nuoc-ngoai-1495181.ldo';
const GSO_REVISED_2025 =
  'https://baomoi.net.vn/kinh-te-so-nam-2024-gop-1-5-trieu-ty-dong-chiem-13-17-gdp-c51176088.epi (GSO, chuỗi điều chỉnh công bố 06/01/2025)';

export const seedHistory: SeedObservation[] = [
  // UN E-Government Survey: rank, rank within ASEAN and score as published (first, as they always were)
  ...egdiSurveyFigures,

  // ---------------------------------------------------------------------------
  // National Public Service Portal
  // ---------------------------------------------------------------------------
  {
    metricCode: 'dvc.services_online',
    unitCode: 'VN',
    ts: '2021-11-23T00:00:00+07:00',
    value: 3200,
    source:
      'https://ictnews.vietnamnet.vn/cuoc-song-so/chinh-phu-so/da-tich-hop-cung-cap-3-200-dich-vu-tren-cong-dich-vu-cong-quoc-gia-398884.html',
  },
  {
    metricCode: 'dvc.services_online',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 3552,
    // "Cổng Dịch vụ công quốc gia đã tích hợp 3.552 dịch vụ công trực tuyến mức độ 3, 4"
    source: NOTICE_2022,
  },
  {
    metricCode: 'dvc.services_online',
    unitCode: 'VN',
    ts: '2024-08-31T00:00:00+07:00',
    value: 4400,
    source: BAOCHINHPHU_2024_08_31,
  },
  {
    metricCode: 'dvc.project06_services',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 11,
    // "đã tích hợp thêm 11/25 dịch vụ công trực tuyến mức độ 3, 4" (Quyết định 06/QĐ-TTg)
    source: NOTICE_2022,
  },
  // Level-4 share: "tăng gấp đôi so với năm 2018, từ 4,5% lên 10,7%" (figures for 2018 and 2019,
  // reported in April 2020). The 2019 notice 8540/TB-VPCP and the 2018 session-1 conclusions hold
  // no such figures.
  {
    metricCode: 'dvc.level4_share',
    unitCode: 'VN',
    ts: '2018-12-31T00:00:00+07:00',
    value: 4.5,
    source: NOTICE_2020,
  },
  {
    metricCode: 'dvc.level4_share',
    unitCode: 'VN',
    ts: '2019-12-31T00:00:00+07:00',
    value: 10.7,
    source: NOTICE_2020,
  },
  // End-to-end dossier share. The H1 2024 figure (42%) and the Oct 2025 figure (39.98%, "up 1.72%
  // on the same period of 2024") come from different reports and may not use the same denominator.
  {
    metricCode: 'dvc.end_to_end_dossier_share',
    unitCode: 'VN',
    ts: '2024-06-30T00:00:00+07:00',
    value: 42,
    source: 'https://vietnamnet.vn/en/vn-aims-to-have-40-percent-of-adult-population-using-online-public-services-2308927.html',
  },
  {
    metricCode: 'dvc.end_to_end_dossier_share',
    unitCode: 'VN',
    ts: '2025-10-26T00:00:00+07:00',
    value: 39.98,
    source: 'https://vietnamnet.vn/ty-le-tai-su-dung-du-lieu-trong-cung-cap-dich-vu-cong-truc-tuyen-con-thap-2460492.html',
  },

  // ---------------------------------------------------------------------------
  // Documents, data sharing, network (figures for 2019, reported in April 2020)
  // ---------------------------------------------------------------------------
  {
    metricCode: 'edoc.electronic_share',
    unitCode: 'VN',
    ts: '2019-12-31T00:00:00+07:00',
    value: 86.5,
    // "tỷ lệ văn bản điện tử được trao đổi qua mạng đạt 86,5% (tăng 14,5% so với năm 2018)"
    source: NOTICE_2020,
  },
  // "nền tảng tích hợp, chia sẻ dữ liệu cấp bộ, cấp tỉnh tăng từ 3% lên 27%". The report does not
  // name the year of the 3%; it is dated end-2018 because the neighbouring figures of the same
  // sentence compare 2019 with 2018.
  {
    metricCode: 'lgsp.unit_share',
    unitCode: 'VN',
    ts: '2018-12-31T00:00:00+07:00',
    value: 3,
    source: NOTICE_2020,
  },
  {
    metricCode: 'lgsp.unit_share',
    unitCode: 'VN',
    ts: '2019-12-31T00:00:00+07:00',
    value: 27,
    source: NOTICE_2020,
  },
  {
    metricCode: 'network.district_coverage',
    unitCode: 'VN',
    ts: '2019-12-31T00:00:00+07:00',
    value: 95,
    // "đã kết nối đến 100% cấp bộ, cấp tỉnh và 95% cấp huyện"
    source: NOTICE_2020,
  },
  {
    metricCode: 'network.ministry_province_coverage',
    unitCode: 'VN',
    ts: '2019-12-31T00:00:00+07:00',
    value: 100,
    source: NOTICE_2020_NETWORK,
  },

  // ---------------------------------------------------------------------------
  // Identity and population data (seminar of 22 Apr 2025)
  // ---------------------------------------------------------------------------
  {
    metricCode: 'population.citizen_records',
    unitCode: 'VN',
    ts: '2025-04-22T00:00:00+07:00',
    value: 104_000_000,
    // "more than 104 million" citizens' data collected, with personal ID numbers issued.
    source: LAODONG_2025_04_22,
  },
  {
    metricCode: 'vneid.accounts_activated',
    unitCode: 'VN',
    ts: '2025-04-22T00:00:00+07:00',
    value: 62_000_000,
    // "more than 62 million" accounts granted and activated.
    source: LAODONG_2025_04_22,
  },
  // Data linked into the population database by the meeting of 27 Apr 2022 ("Đến nay" in the
  // conclusions): "trên 17 triệu" (over), "gần 78 triệu" (nearly), "trên 133 triệu", "trên 570
  // nghìn", "trên 7 triệu" stored as the round figure, as "gần 1.000" officials trained is.
  {
    metricCode: 'population.social_insurance_records',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 17_000_000,
    source: NOTICE_2022_LINKED_DATA,
  },
  {
    metricCode: 'population.vaccination_citizen_records',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 78_000_000,
    source: NOTICE_2022_LINKED_DATA,
  },
  {
    metricCode: 'population.vaccination_doses',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 133_000_000,
    source: NOTICE_2022_LINKED_DATA,
  },
  {
    metricCode: 'population.teacher_records',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 570_000,
    source: NOTICE_2022_LINKED_DATA,
  },
  {
    metricCode: 'population.newborn_id_numbers',
    unitCode: 'VN',
    ts: '2022-04-27T00:00:00+07:00',
    value: 7_000_000,
    source: NOTICE_2022_LINKED_DATA,
  },

  // ---------------------------------------------------------------------------
  // Digital economy share of GDP, GSO revised series (published 6 Jan 2025)
  // ---------------------------------------------------------------------------
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    ts: '2020-12-31T00:00:00+07:00',
    value: 12.66,
    source: GSO_REVISED_2025,
  },
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    ts: '2021-12-31T00:00:00+07:00',
    value: 12.87,
    source: GSO_REVISED_2025,
  },
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    ts: '2022-12-31T00:00:00+07:00',
    value: 12.83,
    source: GSO_REVISED_2025,
  },
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    ts: '2023-12-31T00:00:00+07:00',
    value: 12.87,
    source: GSO_REVISED_2025,
  },
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    ts: '2024-12-31T00:00:00+07:00',
    value: 13.17,
    source: GSO_REVISED_2025,
  },

  // ---------------------------------------------------------------------------
  // Officials trained: "trong quý I năm 2022 đã bồi dưỡng, tập huấn được gần 1.000 cán bộ,
  // công chức" ("nearly 1,000", stored as 1000), dated the last day of Q1 2022.
  // ---------------------------------------------------------------------------
  {
    metricCode: 'training.officials_trained',
    unitCode: 'VN',
    ts: '2022-03-31T00:00:00+07:00',
    value: 1000,
    source: NOTICE_2022,
  },
];
