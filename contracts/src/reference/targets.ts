/**
 * Targets set in legal documents and Government notices, with their sources as cited in
 * shared/context/*.vi.txt, DIGEST.md and REFERENCE-DATA.md §4.
 *
 * The April 2020 conclusions (online conference of the National Committee on E-Government
 * with the steering committees of ministries and provinces) are only held as a TTXVN/
 * Vietnam+ news report, without the notice number, so they are cited by title and month.
 * The conclusions of the 27 Apr 2022 meeting are held without a number either.
 */
import type { SeedTarget } from '../catalog';

const NOTICE_2020_VI =
  'Kết luận của Thủ tướng Chính phủ tại hội nghị trực tuyến Ủy ban Quốc gia về Chính phủ điện tử với các Ban Chỉ đạo xây dựng Chính phủ điện tử, chính quyền điện tử bộ, ngành, địa phương (Thông báo kết luận của VPCP, tin TTXVN/Vietnam+, 4/2020)';
const NOTICE_2020_EN =
  "Prime Minister's conclusions at the online conference of the National Committee on E-Government with the e-government steering committees of ministries and provinces (Government Office notice, as reported by VNA/Vietnam+, April 2020)";

const NOTICE_2022_VI =
  'Thông báo kết luận của Thủ tướng Chính phủ tại phiên họp thứ hai Ủy ban Quốc gia về chuyển đổi số (họp ngày 27/4/2022)';
const NOTICE_2022_EN =
  "Prime Minister's conclusions at the second meeting of the National Committee on Digital Transformation (Government Office notice, meeting of 27 Apr 2022)";

export const seedTargets: SeedTarget[] = [
  // "năm cuối của giai đoạn 2019-2020 thực hiện Nghị quyết 17/NQ-CP ... đặc biệt là chỉ tiêu
  // 30% dịch vụ công trực tuyến mức độ 4" (April 2020 conclusions).
  {
    metricCode: 'dvc.level4_share',
    unitCode: 'VN',
    value: 30,
    comparator: '>=',
    deadline: '2020-12-31',
    legalSourceVi: 'Nghị quyết 17/NQ-CP (07/3/2019); Nghị quyết 01/NQ-CP (01/01/2020)',
    legalSourceEn: 'Government Resolution 17/NQ-CP (7 Mar 2019); Government Resolution 01/NQ-CP (1 Jan 2020)',
  },
  // "Đến hết tháng 6/2020, 100% văn bản điện tử được gửi, nhận ở cả 4 cấp chính quyền ..."
  {
    metricCode: 'edoc.electronic_share',
    unitCode: 'VN',
    value: 100,
    comparator: '>=',
    deadline: '2020-06-30',
    legalSourceVi: NOTICE_2020_VI,
    legalSourceEn: NOTICE_2020_EN,
  },
  // "Đến hết năm 2020, 100% các bộ, ngành, địa phương có nền tảng tích hợp, chia sẻ dữ liệu,
  // kết nối với nền tảng tích hợp, chia sẻ dữ liệu quốc gia"
  {
    metricCode: 'lgsp.unit_share',
    unitCode: 'VN',
    value: 100,
    comparator: '>=',
    deadline: '2020-12-31',
    legalSourceVi: NOTICE_2020_VI,
    legalSourceEn: NOTICE_2020_EN,
  },
  // The 2022 notice asks VPCP and BCA to "hoàn thành cung cấp đầy đủ 25 dịch vụ công thiết yếu
  // theo đúng tiến độ của Đề án 06" and says digitisation of records for these 25 services starts
  // on 1 Jul 2022. Deadline chosen: 2022-06-30, the last day before digitisation starts, since the
  // services must be online by then. The notice gives no explicit completion date.
  {
    metricCode: 'dvc.project06_services',
    unitCode: 'VN',
    value: 25,
    comparator: '>=',
    deadline: '2022-06-30',
    legalSourceVi: `Quyết định 06/QĐ-TTg (2022), Đề án 06; ${NOTICE_2022_VI}`,
    legalSourceEn: `Decision 06/QD-TTg (2022), Project 06; ${NOTICE_2022_EN}`,
  },
  // "mục tiêu đến tháng 10 năm 2022 sẽ bồi dưỡng, tập huấn được 10.000 cán bộ, công chức về
  // chuyển đổi số": end of October 2022.
  {
    metricCode: 'training.officials_trained',
    unitCode: 'VN',
    value: 10000,
    comparator: '>=',
    deadline: '2022-10-31',
    legalSourceVi: NOTICE_2022_VI,
    legalSourceEn: NOTICE_2022_EN,
  },
  // "Năm 2016, nước ta tụt hạng trong bảng xếp hạng ASEAN (từ 5 xuống 6), không đạt mức ASEAN 4 như
  // mục tiêu tại Nghị quyết 36a" (82/TB-VPCP). The notice judges the 2016 survey against the target,
  // so its deadline is taken as the end of 2016; the resolution's own text is not among the sources.
  {
    metricCode: 'egdi.asean_rank',
    unitCode: 'VN',
    value: 4,
    comparator: '<=',
    deadline: '2016-12-31',
    legalSourceVi:
      'Nghị quyết 36a/NQ-CP (14/10/2015) về Chính phủ điện tử: nhóm 4 nước dẫn đầu ASEAN, như Thông báo 82/TB-VPCP (16/02/2017) trích dẫn',
    legalSourceEn:
      'Government Resolution 36a/NQ-CP (14 Oct 2015) on e-Government: among the top 4 of ASEAN, as cited in Government Office notice 82/TB-VPCP (16 Feb 2017)',
  },
  // "việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa cấp bộ, cấp tỉnh phải
  // được triển khai ngay từ ngày 01 tháng 6 năm 2022" (2022 notice). The notice sets a start date, not a
  // share: read as every application resolved at those counters from that day on having its records and
  // result digitised, i.e. 100% from June 2022 (the month whose share is dated 1 Jun). The 25 Project 06
  // services, due from 1 Jul 2022, are a subset this indicator cannot single out.
  {
    metricCode: 'onestop.digitised_share',
    unitCode: 'VN',
    value: 100,
    comparator: '>=',
    deadline: '2022-06-01',
    legalSourceVi: NOTICE_2022_VI,
    legalSourceEn: NOTICE_2022_EN,
  },
  // Top 70 in the UN EGDI by 2025 (REFERENCE-DATA §4.1).
  {
    metricCode: 'egdi.rank',
    unitCode: 'VN',
    value: 70,
    comparator: '<=',
    deadline: '2025-12-31',
    legalSourceVi: 'Quyết định 749/QĐ-TTg (03/6/2020), Chương trình Chuyển đổi số quốc gia',
    legalSourceEn: 'Decision 749/QD-TTg (3 Jun 2020), National Digital Transformation Programme',
  },
  // At least 80% of dossiers fully online by 2025 (REFERENCE-DATA §4.2, §4.6).
  {
    metricCode: 'dvc.end_to_end_dossier_share',
    unitCode: 'VN',
    value: 80,
    comparator: '>=',
    deadline: '2025-12-31',
    legalSourceVi: 'Quyết định 942/QĐ-TTg (15/6/2021), Chiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số giai đoạn 2021–2025',
    legalSourceEn: 'Decision 942/QD-TTg (15 Jun 2021), Strategy for E-Government towards Digital Government 2021–2025',
  },
  // Digital economy targets (REFERENCE-DATA §4.4). The targets are compared with the GSO series
  // stored under digital_economy.gdp_share; the MIC policy estimate runs about 5 points higher.
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    value: 20,
    comparator: '>=',
    deadline: '2025-12-31',
    legalSourceVi: 'Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng (2021): kinh tế số khoảng 20% GDP vào năm 2025',
    legalSourceEn: 'Resolution of the 13th National Party Congress (2021): digital economy about 20% of GDP by 2025',
  },
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    value: 30,
    comparator: '>=',
    deadline: '2030-12-31',
    legalSourceVi: 'Nghị quyết 52-NQ/TW của Bộ Chính trị: kinh tế số 30% GDP vào năm 2030',
    legalSourceEn: 'Politburo Resolution 52-NQ/TW: digital economy 30% of GDP by 2030',
  },
  {
    metricCode: 'digital_economy.gdp_share',
    unitCode: 'VN',
    value: 50,
    comparator: '>=',
    deadline: '2045-12-31',
    legalSourceVi: 'Nghị quyết 57-NQ/TW (22/12/2024) của Bộ Chính trị: kinh tế số tối thiểu 50% GDP vào năm 2045',
    legalSourceEn: 'Politburo Resolution 57-NQ/TW (22 Dec 2024): digital economy at least 50% of GDP by 2045',
  },
];
