/**
 * Indicator catalogue seeded into a fresh database.
 *
 * Sources: shared/context/DIGEST.md, shared/context/REFERENCE-DATA.md §4 and the
 * Government Office notices in shared/context/*.vi.txt. REFERENCE-DATA warns that
 * "share of dossiers online" is defined differently across sources, so every
 * description states the numerator, the denominator and what must NOT be stored
 * under the code.
 *
 * Reporter codes: VPCP (Government Office, runs the National Public Service Portal and
 * the National Document Exchange Axis), BCA (Ministry of Public Security: population DB,
 * VNeID), BTC (Ministry of Finance: e-invoices; since 1 Mar 2025 also the statistics
 * office), BKHCN (Ministry of Science and Technology, which took over the former MIC's
 * digital-transformation role in 2025), plus the unit kinds 'province' / 'ministry'.
 */
import type { SeedMetric } from '../catalog';

export const seedMetrics: SeedMetric[] = [
  // ---------------------------------------------------------------------------
  // National Public Service Portal (Cổng Dịch vụ công quốc gia)
  // ---------------------------------------------------------------------------
  {
    code: 'dvc.services_online',
    nameVi: 'Dịch vụ công trực tuyến tích hợp trên Cổng Dịch vụ công quốc gia',
    nameEn: 'Online public services integrated into the National Public Service Portal',
    descriptionVi:
      'Số dịch vụ công trực tuyến của các bộ, ngành, địa phương đang được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) tại thời điểm báo cáo: dịch vụ mức độ 3, 4 theo cách phân loại cũ, hoặc dịch vụ toàn trình và một phần theo Nghị định 42/2022/NĐ-CP. Là số tại một thời điểm, không phải lũy kế: có thể giảm khi thủ tục hành chính bị bãi bỏ hoặc hợp nhất. Giá trị của bộ, tỉnh là số dịch vụ do đơn vị đó cung cấp trên Cổng. Giá trị quốc gia là tổng số do Văn phòng Chính phủ công bố, không nhất thiết bằng tổng giá trị các đơn vị.',
    descriptionEn:
      'Number of online public services of ministries, agencies and provinces integrated into and offered on the National Public Service Portal (dichvucong.gov.vn) at the reporting time: level-3 and level-4 services under the former classification, or full-process and partial online services under Decree 42/2022/ND-CP. A level, not a cumulative total: it can fall when procedures are abolished or merged. A ministry or province value counts the services that unit offers on the portal. The national value is the total published by the Government Office and need not equal the sum of the units.',
    unitOfMeasure: 'dịch vụ/services',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['VPCP'],
    sourceSystemVi: 'Cổng Dịch vụ công quốc gia',
    sourceSystemEn: 'National Public Service Portal',
  },
  {
    code: 'dvc.level4_share',
    nameVi: 'Tỷ lệ dịch vụ công trực tuyến mức độ 4',
    nameEn: 'Share of online public services at level 4',
    descriptionVi:
      'Số dịch vụ công (thủ tục hành chính) của đơn vị được cung cấp trực tuyến ở mức độ 4 chia cho tổng số dịch vụ công (thủ tục hành chính) của đơn vị, nhân 100; đây là cách tính của chỉ tiêu 30% tại Nghị quyết 17/NQ-CP. Mức độ 4 theo Nghị định 43/2011/NĐ-CP: người dùng nộp hồ sơ và thanh toán phí, lệ phí (nếu có) trực tuyến; kết quả được trả trực tuyến, trực tiếp hoặc qua bưu chính. Không ghi vào đây các tỷ lệ tính trên số dịch vụ "đủ điều kiện" (ví dụ 97,3% tháng 8/2022): mẫu số khác. Từ Nghị định 42/2022/NĐ-CP, phân loại mức độ 3, 4 được thay bằng dịch vụ toàn trình và một phần.',
    descriptionEn:
      'Public services (administrative procedures) of the unit offered online at level 4, divided by all public services (administrative procedures) of the unit, times 100; this is how the 30% target of Resolution 17/NQ-CP is computed. Level 4 under Decree 43/2011/ND-CP: the user submits the application and pays fees (if any) online; the result is delivered online, in person or by post. Do not store here shares computed over "eligible" services only (e.g. 97.3% in Aug 2022): different denominator. Decree 42/2022/ND-CP replaced levels 3/4 with full-process and partial online services.',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['BKHCN', 'province', 'ministry'],
    sourceSystemVi: 'Cổng Dịch vụ công quốc gia; cổng dịch vụ công cấp bộ, cấp tỉnh',
    sourceSystemEn: 'National Public Service Portal; ministerial and provincial public service portals',
  },
  {
    code: 'dvc.project06_services',
    nameVi: 'Dịch vụ công thiết yếu của Đề án 06 đã tích hợp',
    nameEn: 'Project 06 essential online services integrated',
    descriptionVi:
      'Số dịch vụ công trực tuyến thiết yếu, trong danh mục 25 dịch vụ của Đề án 06 (Quyết định 06/QĐ-TTg năm 2022), đã được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia; từ 0 đến 25. Giá trị của tỉnh là số dịch vụ trong danh mục này mà tỉnh đã cung cấp trực tuyến. Danh mục 25 dịch vụ công trực tuyến toàn trình thiết yếu của Kế hoạch 02-KH/BCĐTW (19/6/2025) là một văn bản khác: phải đối chiếu danh mục trước khi ghi chung vào chỉ số này.',
    descriptionEn:
      'Number of essential online public services, from the list of 25 in Project 06 (Decision 06/QD-TTg, 2022), integrated into and offered on the National Public Service Portal; 0 to 25. A province value counts the services of that list the province offers online. The 25 essential full-process services of Plan 02-KH/BCDTW (19 Jun 2025) come from a different document: compare the lists before recording them under this code.',
    unitOfMeasure: 'dịch vụ/services',
    kind: 'gauge',
    min: 0,
    max: 25,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province'],
    reportedBy: ['VPCP'],
    sourceSystemVi: 'Cổng Dịch vụ công quốc gia',
    sourceSystemEn: 'National Public Service Portal',
  },
  {
    code: 'dvc.end_to_end_dossier_share',
    nameVi: 'Tỷ lệ hồ sơ trực tuyến toàn trình',
    nameEn: 'Share of dossiers processed fully online (end-to-end)',
    descriptionVi:
      'Số hồ sơ thủ tục hành chính được tiếp nhận và giải quyết hoàn toàn trực tuyến (dịch vụ công trực tuyến toàn trình theo Nghị định 42/2022/NĐ-CP) chia cho tổng số hồ sơ thủ tục hành chính tiếp nhận (trực tuyến, trực tiếp và qua bưu chính), nhân 100; tính lũy kế từ đầu năm đến thời điểm báo cáo. Đây là chỉ tiêu ≥ 80% của Quyết định 942/QĐ-TTg. Không ghi vào đây các tỷ lệ có mẫu số khác: chỉ tính hồ sơ của dịch vụ "đủ điều kiện", tính cả hồ sơ trực tuyến một phần, hay tỷ lệ thủ tục được cung cấp toàn trình (số thủ tục, không phải số hồ sơ).',
    descriptionEn:
      'Administrative-procedure dossiers received and resolved fully online (full-process online services under Decree 42/2022/ND-CP), divided by all dossiers received (online, in person and by post), times 100; year-to-date at the reporting time. This is the >= 80% target of Decision 942/QD-TTg. Do not store here shares with another denominator: dossiers of "eligible" services only, shares that include partial online dossiers, or the share of procedures offered end-to-end (procedures, not dossiers).',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['VPCP', 'BKHCN', 'province', 'ministry'],
    sourceSystemVi: 'Cổng Dịch vụ công quốc gia; Hệ thống thông tin một cửa điện tử cấp bộ, cấp tỉnh',
    sourceSystemEn: 'National Public Service Portal; one-stop-shop information systems of ministries and provinces',
  },
  {
    code: 'onestop.applications_received',
    nameVi: 'Hồ sơ trực tuyến tiếp nhận trong ngày qua hệ thống một cửa điện tử',
    nameEn: 'Online applications received per day by one-stop-shop systems',
    descriptionVi:
      'Số hồ sơ thủ tục hành chính nộp trực tuyến (toàn trình hoặc một phần) được tiếp nhận trên Hệ thống thông tin một cửa điện tử (nay là Hệ thống thông tin giải quyết thủ tục hành chính) của bộ, tỉnh trong ngày báo cáo. Là số phát sinh trong kỳ, cộng dồn khi gộp theo tuần, tháng; không gồm hồ sơ nộp trực tiếp hoặc qua bưu chính. Giá trị quốc gia là tổng của các bộ, tỉnh theo dữ liệu đồng bộ lên Cổng Dịch vụ công quốc gia.',
    descriptionEn:
      'Administrative-procedure applications submitted online (full-process or partial) and received by the one-stop-shop information system (now the administrative-procedure information system) of a ministry or province on the reporting day. A per-period amount, summed over weeks and months; applications filed in person or by post are excluded. The national value is the total over ministries and provinces as synchronised to the National Public Service Portal.',
    unitOfMeasure: 'hồ sơ/applications',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'daily',
    betterWhen: 'higher',
    defaultAggregation: 'sum',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['province', 'ministry', 'VPCP'],
    sourceSystemVi: 'Hệ thống thông tin một cửa điện tử của bộ, ngành, địa phương',
    sourceSystemEn: 'One-stop-shop information systems of ministries and provinces',
  },

  // ---------------------------------------------------------------------------
  // Document exchange, data sharing, network
  // ---------------------------------------------------------------------------
  {
    code: 'edoc.electronic_share',
    nameVi: 'Tỷ lệ văn bản điện tử trao đổi qua mạng',
    nameEn: 'Share of documents exchanged electronically',
    descriptionVi:
      'Số văn bản gửi, nhận giữa các cơ quan nhà nước dưới dạng văn bản điện tử qua mạng (Trục liên thông văn bản quốc gia và hệ thống quản lý văn bản, điều hành) chia cho tổng số văn bản gửi, nhận trong kỳ, nhân 100. Chỉ tiêu 100% đến hết tháng 6/2020 chỉ tính văn bản điện tử gửi, nhận ở cả 4 cấp chính quyền đáp ứng yêu cầu về nội dung, thẩm quyền, thể thức, ký số và xác thực theo quy định.',
    descriptionEn:
      'Documents sent and received between state agencies as electronic documents over the network (National Document Exchange Axis and document-management systems), divided by all documents sent and received in the period, times 100. The 100% target for end of June 2020 counts electronic documents at all 4 levels of government that meet the rules on content, authority, format, digital signature and authentication.',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'avg',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['VPCP', 'province', 'ministry'],
    sourceSystemVi: 'Trục liên thông văn bản quốc gia',
    sourceSystemEn: 'National Document Exchange Axis',
  },
  {
    code: 'lgsp.unit_share',
    nameVi: 'Tỷ lệ bộ, tỉnh có nền tảng tích hợp, chia sẻ dữ liệu (LGSP)',
    nameEn: 'Share of ministries and provinces with a data integration and sharing platform (LGSP)',
    descriptionVi:
      'Số bộ, cơ quan ngang bộ và tỉnh, thành phố trực thuộc trung ương đã có nền tảng tích hợp, chia sẻ dữ liệu cấp bộ, cấp tỉnh (LGSP) chia cho tổng số các đơn vị đó, nhân 100. Chỉ tiêu 100% đến hết năm 2020 còn đòi hỏi LGSP kết nối với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP). Mẫu số thay đổi khi sắp xếp bộ máy (từ 01/3/2025: 17 bộ, cơ quan ngang bộ thay vì 22; từ 01/7/2025: 34 tỉnh, thành phố thay vì 63).',
    descriptionEn:
      'Ministries, ministerial-level agencies and provinces/centrally-run cities that have a ministerial or provincial data integration and sharing platform (LGSP), divided by the number of such units, times 100. The 100% target for end of 2020 also requires the LGSP to be connected to the National Data Exchange Platform (NDXP). The denominator changes with reorganisations (from 1 Mar 2025: 17 ministries and ministerial-level agencies instead of 22; from 1 Jul 2025: 34 provincial units instead of 63).',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'quarterly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP) và các LGSP',
    sourceSystemEn: 'National Data Exchange Platform (NDXP) and ministerial/provincial LGSPs',
  },
  {
    code: 'ndxp.transactions',
    nameVi: 'Giao dịch qua Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP)',
    nameEn: 'Transactions through the National Data Exchange Platform (NDXP)',
    descriptionVi:
      'Lũy kế số giao dịch tích hợp, chia sẻ dữ liệu thực hiện qua NDXP kể từ khi nền tảng đi vào vận hành (tháng 10/2020). Giá trị của bộ, tỉnh là số giao dịch mà hệ thống, LGSP của đơn vị đó thực hiện qua NDXP. Số giao dịch trong một năm (ví dụ 180.919.031 giao dịch năm 2021) không phải số lũy kế và không được ghi vào chỉ số này.',
    descriptionEn:
      "Cumulative number of data integration and sharing transactions through NDXP since the platform went live (October 2020). A ministry or province value counts the transactions of that unit's systems and LGSP through NDXP. Transactions within one year (e.g. 180,919,031 in 2021) are not cumulative and must not be stored under this code.",
    unitOfMeasure: 'giao dịch/transactions',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'daily',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP)',
    sourceSystemEn: 'National Data Exchange Platform (NDXP)',
  },
  {
    code: 'network.district_coverage',
    nameVi: 'Tỷ lệ cấp huyện kết nối Mạng truyền số liệu chuyên dùng',
    nameEn: 'Specialised government data network coverage of districts',
    descriptionVi:
      'Số đơn vị hành chính cấp huyện đã kết nối Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước chia cho tổng số đơn vị cấp huyện (của cả nước hoặc của tỉnh), nhân 100. Cấp bộ và cấp tỉnh đã đạt 100% năm 2019. Cấp huyện không còn từ 01/7/2025 (chính quyền địa phương 2 cấp), nên chỉ số chỉ có giá trị lịch sử đến 30/6/2025.',
    descriptionEn:
      'District-level units connected to the specialised data network of Party and State agencies, divided by all district-level units (of the country or of the province), times 100. Ministries and provinces were 100% connected in 2019. The district level no longer exists from 1 Jul 2025 (two-level local government), so the indicator holds history up to 30 Jun 2025 only.',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'quarterly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước',
    sourceSystemEn: 'Specialised data network of Party and State agencies',
  },

  // ---------------------------------------------------------------------------
  // Identity and population data (Project 06)
  // ---------------------------------------------------------------------------
  {
    code: 'population.citizen_records',
    nameVi: 'Công dân có dữ liệu trong Cơ sở dữ liệu quốc gia về dân cư',
    nameEn: 'Citizen records in the National Population Database',
    descriptionVi:
      'Lũy kế số công dân đã được thu thập thông tin và cấp số định danh cá nhân trong Cơ sở dữ liệu quốc gia về dân cư tại thời điểm báo cáo. Không tính các dữ liệu chuyên ngành được liên kết vào cơ sở dữ liệu (bảo hiểm xã hội, tiêm chủng, cán bộ, giáo viên...): ví dụ "gần 78 triệu thông tin công dân với trên 133 triệu mũi tiêm chủng" (4/2022) là dữ liệu tiêm chủng đã liên kết, không phải số công dân trong cơ sở dữ liệu. Giá trị của tỉnh tính theo nơi cư trú.',
    descriptionEn:
      'Cumulative number of citizens whose data have been collected and who have been given a personal identification number in the National Population Database at the reporting time. Linked sector data (social insurance, vaccination, officials, teachers...) are not counted: for example "nearly 78 million citizens\' records with over 133 million vaccination doses" (Apr 2022) is linked vaccination data, not the number of citizens in the database. A province value counts citizens by place of residence.',
    unitOfMeasure: 'bản ghi/records',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BCA'],
    sourceSystemVi: 'Cơ sở dữ liệu quốc gia về dân cư',
    sourceSystemEn: 'National Population Database',
  },
  {
    code: 'vneid.accounts_activated',
    nameVi: 'Tài khoản định danh điện tử VNeID đã kích hoạt',
    nameEn: 'VNeID electronic identification accounts activated',
    descriptionVi:
      'Lũy kế số tài khoản định danh điện tử của công dân Việt Nam (mức độ 1 và mức độ 2) đã được cấp và kích hoạt trên ứng dụng VNeID. Không gồm tài khoản định danh điện tử của tổ chức và của người nước ngoài. Giá trị của tỉnh tính theo nơi cư trú của công dân.',
    descriptionEn:
      'Cumulative number of electronic identification accounts of Vietnamese citizens (level 1 and level 2) issued and activated in the VNeID app. Accounts of organisations and of foreigners are excluded. A province value counts citizens by place of residence.',
    unitOfMeasure: 'tài khoản/accounts',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'weekly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BCA'],
    sourceSystemVi: 'Ứng dụng định danh điện tử quốc gia VNeID',
    sourceSystemEn: 'VNeID national electronic identification app',
  },

  // ---------------------------------------------------------------------------
  // Digital economy
  // ---------------------------------------------------------------------------
  {
    code: 'einvoice.issued',
    nameVi: 'Hóa đơn điện tử phát hành trong ngày',
    nameEn: 'E-invoices issued per day',
    descriptionVi:
      'Số hóa đơn điện tử (có mã hoặc không có mã của cơ quan thuế) được lập và được cấp mã hoặc chuyển dữ liệu đến cơ quan thuế trong ngày báo cáo. Là số phát sinh trong kỳ, cộng dồn khi gộp theo tuần, tháng. Giá trị của tỉnh tính theo nơi người bán đăng ký thuế. Hóa đơn điện tử bắt buộc trên toàn quốc từ 01/7/2022 (Nghị định 123/2020/NĐ-CP, Thông tư 78/2021/TT-BTC).',
    descriptionEn:
      "E-invoices (with or without a tax-authority code) issued and coded by, or transmitted to, the tax authority on the reporting day. A per-period amount, summed over weeks and months. A province value counts invoices by the seller's place of tax registration. E-invoices have been mandatory nationwide since 1 Jul 2022 (Decree 123/2020/ND-CP, Circular 78/2021/TT-BTC).",
    unitOfMeasure: 'hóa đơn/invoices',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'daily',
    betterWhen: 'higher',
    defaultAggregation: 'sum',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BTC'],
    sourceSystemVi: 'Hệ thống hóa đơn điện tử (Bộ Tài chính)',
    sourceSystemEn: 'Nationwide e-invoice system (Ministry of Finance)',
  },
  {
    code: 'digitech.new_enterprises',
    nameVi: 'Doanh nghiệp công nghệ số thành lập mới',
    nameEn: 'New digital-technology enterprises',
    descriptionVi:
      'Số doanh nghiệp công nghệ số đăng ký thành lập mới trong kỳ báo cáo (không phải lũy kế; cộng dồn khi gộp kỳ). Giá trị của tỉnh tính theo nơi đặt trụ sở chính. Câu "tăng gần 500 doanh nghiệp so với năm 2021" trong kết luận phiên họp ngày 27/4/2022 là mức chênh lệch, không phải số tuyệt đối, nên không được ghi vào chỉ số này.',
    descriptionEn:
      'Digital-technology enterprises newly registered in the reporting period (not cumulative; summed over periods). A province value counts enterprises by head-office location. The phrase "nearly 500 more than in 2021" in the conclusions of the 27 Apr 2022 meeting is a difference, not an absolute number, and must not be stored under this code.',
    unitOfMeasure: 'doanh nghiệp/enterprises',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'quarterly',
    betterWhen: 'higher',
    defaultAggregation: 'sum',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BKHCN', 'province'],
    sourceSystemVi: 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp',
    sourceSystemEn: 'National business registration database',
  },
  {
    code: 'digital_economy.gdp_share',
    nameVi: 'Tỷ trọng kinh tế số trong GDP',
    nameEn: 'Digital economy share of GDP',
    descriptionVi:
      'Tỷ trọng giá trị tăng thêm của kinh tế số trong GDP theo số liệu chính thức của cơ quan thống kê quốc gia (Tổng cục Thống kê, nay là Cục Thống kê thuộc Bộ Tài chính), gồm kinh tế số lõi và phần số hóa của các ngành khác; dùng chuỗi số liệu đã điều chỉnh công bố ngày 06/01/2025. Không ghi vào đây ước tính chính sách của Bộ Thông tin và Truyền thông (định nghĩa rộng hơn, cao hơn khoảng 5 điểm %, ví dụ 18,3% năm 2024): nếu cần hiển thị, dùng một chỉ số riêng có nhãn rõ ràng.',
    descriptionEn:
      "Value added of the digital economy as a share of GDP, official statistics of the national statistics office (GSO, since 2025 the Statistics Office under the Ministry of Finance): core digital economy plus digitalisation of other sectors; revised series published 6 Jan 2025. Do not store here the Ministry of Information and Communications' policy estimate (a broader definition, about 5 points higher, e.g. 18.3% for 2024): if it must be shown, use a separate, clearly labelled indicator.",
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'yearly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['BTC'],
    sourceSystemVi: 'Số liệu thống kê chính thức (Cục Thống kê)',
    sourceSystemEn: 'Official statistics (national statistics office, GSO)',
  },

  // ---------------------------------------------------------------------------
  // People and international rankings
  // ---------------------------------------------------------------------------
  {
    code: 'training.officials_trained',
    nameVi: 'Cán bộ, công chức được bồi dưỡng, tập huấn về chuyển đổi số',
    nameEn: 'Officials trained in digital transformation',
    descriptionVi:
      'Lũy kế số cán bộ, công chức, viên chức đã được bồi dưỡng, tập huấn về chuyển đổi số kể từ ngày 01/01/2022, mốc của chỉ tiêu 10.000 người đến tháng 10/2022 trong kết luận phiên họp thứ hai của Ủy ban Quốc gia về chuyển đổi số. Mỗi người chỉ tính một lần dù tham gia nhiều khóa.',
    descriptionEn:
      'Cumulative number of officials and public employees trained in digital transformation since 1 Jan 2022, the baseline of the target of 10,000 by October 2022 in the conclusions of the second meeting of the National Committee on Digital Transformation. Each person is counted once, however many courses they attend.',
    unitOfMeasure: 'người/people',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'quarterly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['BKHCN', 'province', 'ministry'],
    sourceSystemVi: null,
    sourceSystemEn: null,
  },
  {
    code: 'egdi.rank',
    nameVi: 'Xếp hạng Chỉ số phát triển Chính phủ điện tử (EGDI) của Liên hợp quốc',
    nameEn: 'UN E-Government Development Index (EGDI) rank',
    descriptionVi:
      'Thứ hạng của Việt Nam trong 193 quốc gia thành viên Liên hợp quốc theo Chỉ số phát triển Chính phủ điện tử (EGDI) của Khảo sát Chính phủ điện tử do Liên hợp quốc (UN DESA) công bố hai năm một lần, vào các năm chẵn. Hạng 1 là cao nhất. Thời điểm của giá trị là ngày công bố khảo sát nếu biết, nếu không là ngày 01/7 của năm khảo sát.',
    descriptionEn:
      "Viet Nam's rank among the 193 UN member states on the E-Government Development Index (EGDI) of the UN E-Government Survey (UN DESA), published every two years in even years. Rank 1 is the best. A value is dated at the survey's publication date when known, otherwise 1 July of the survey year.",
    unitOfMeasure: 'hạng/rank',
    kind: 'gauge',
    min: 1,
    max: 193,
    cadence: 'irregular', // the UN survey is biennial: never "late" in odd years
    betterWhen: 'lower',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Khảo sát Chính phủ điện tử của Liên hợp quốc (UN DESA)',
    sourceSystemEn: 'United Nations E-Government Survey (UN DESA)',
  },
  {
    code: 'egdi.score',
    nameVi: 'Điểm Chỉ số phát triển Chính phủ điện tử (EGDI) của Liên hợp quốc',
    nameEn: 'UN E-Government Development Index (EGDI) score',
    descriptionVi:
      'Giá trị EGDI của Việt Nam, từ 0 đến 1: trung bình cộng của ba chỉ số thành phần là dịch vụ trực tuyến (OSI), hạ tầng viễn thông (TII) và nguồn nhân lực (HCI), theo Khảo sát Chính phủ điện tử của Liên hợp quốc (hai năm một lần). Thời điểm của giá trị tính như thứ hạng EGDI.',
    descriptionEn:
      "Viet Nam's EGDI value, 0 to 1: the mean of the Online Service Index (OSI), Telecommunication Infrastructure Index (TII) and Human Capital Index (HCI) in the UN E-Government Survey (every two years). Values are dated as for the EGDI rank.",
    unitOfMeasure: 'điểm/score',
    kind: 'gauge',
    min: 0,
    max: 1,
    cadence: 'irregular', // biennial UN survey
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Khảo sát Chính phủ điện tử của Liên hợp quốc (UN DESA)',
    sourceSystemEn: 'United Nations E-Government Survey (UN DESA)',
  },
];
