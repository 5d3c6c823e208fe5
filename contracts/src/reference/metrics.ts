/**
 * Indicator catalogue seeded into a fresh database.
 *
 * Sources: shared/context/DIGEST.md, shared/context/REFERENCE-DATA.md §4 and the
 * Government Office notices in shared/context/*.vi.txt. REFERENCE-DATA warns that
 * "share of dossiers online" is defined differently across sources, so every
 * description states the numerator, the denominator and what must NOT be stored
 * under the code.
 *
 * Reporter codes: VPCP (Government Office, runs the National Public Service Portal, the
 * National Document Exchange Axis, e-Cabinet and the Government reporting information
 * system), BCA (Ministry of Public Security: population DB and the records linked to it,
 * VNeID), BTC (Ministry of Finance: e-invoices; since 1 Mar 2025 also the statistics office
 * and Vietnam Social Security, which runs the national insurance database), BKHCN (Ministry
 * of Science and Technology, which took over the former MIC's digital-transformation role in
 * 2025), BNNMT (Ministry of Agriculture and Environment, which took over the national land
 * database from the Ministry of Natural Resources and Environment in 2025), plus the unit
 * kinds 'province' / 'ministry'. Each is a unit code of ./units.ts in force today (tested).
 * No unit was added: Vietnam Social Security, which the 2018 notice names for the insurance
 * database, is a Government agency rather than a ministry and is part of BTC today.
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
  {
    code: 'onestop.applications_resolved',
    nameVi: 'Hồ sơ trực tuyến giải quyết xong trong ngày trên hệ thống một cửa điện tử',
    nameEn: 'Online applications resolved per day by one-stop-shop systems',
    descriptionVi:
      'Số hồ sơ thủ tục hành chính nộp trực tuyến (toàn trình hoặc một phần) được giải quyết xong (đã có kết quả) trên Hệ thống thông tin một cửa điện tử (nay là Hệ thống thông tin giải quyết thủ tục hành chính) của bộ, tỉnh trong ngày báo cáo, dù được tiếp nhận vào ngày nào. Cùng tập hồ sơ với chỉ số onestop.applications_received (chỉ hồ sơ trực tuyến), nên hai chỉ số so sánh được với nhau; không gồm hồ sơ nộp trực tiếp hoặc qua bưu chính. Là số phát sinh trong kỳ, cộng dồn khi gộp theo tuần, tháng. Giá trị quốc gia là tổng của các bộ, tỉnh theo dữ liệu đồng bộ lên Cổng Dịch vụ công quốc gia.',
    descriptionEn:
      'Administrative-procedure applications submitted online (full-process or partial) whose processing was completed (a result issued) on the one-stop-shop information system (now the administrative-procedure information system) of a ministry or province on the reporting day, whenever they were received. The same applications as onestop.applications_received (online only), so the two can be compared; applications filed in person or by post are excluded. A per-period amount, summed over weeks and months. The national value is the total over ministries and provinces as synchronised to the National Public Service Portal.',
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
  {
    code: 'onestop.on_time_share',
    nameVi: 'Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn',
    nameEn: 'Share of administrative-procedure applications resolved on time',
    descriptionVi:
      'Số hồ sơ thủ tục hành chính giải quyết xong trong tháng báo cáo trước hoặc đúng hạn chia cho tổng số hồ sơ giải quyết xong trong tháng, nhân 100; tính trên mọi hồ sơ của bộ, tỉnh trên Hệ thống thông tin một cửa điện tử, dù nộp trực tuyến, trực tiếp hay qua bưu chính. Hồ sơ đang giải quyết (còn hạn hoặc đã quá hạn) không có trong mẫu số: chúng được tính vào tháng giải quyết xong. Tính theo tháng, không lũy kế từ đầu năm; thời điểm của giá trị là ngày đầu tháng. Giá trị quốc gia tính trên tổng hồ sơ của các bộ, tỉnh đồng bộ lên Cổng Dịch vụ công quốc gia, không phải trung bình cộng tỷ lệ của các đơn vị.',
    descriptionEn:
      "Administrative-procedure applications resolved in the reporting month before or on their due date, divided by all applications resolved in that month, times 100; over every application of the ministry or province on its one-stop-shop information system, whether filed online, in person or by post. Applications still being processed (within or past their due date) are not in the denominator: they count in the month they are resolved. Per month, not year-to-date; a value is dated the first day of its month. The national value is computed over the applications of all ministries and provinces synchronised to the National Public Service Portal, not as the mean of the units' shares.",
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['province', 'ministry', 'VPCP'],
    sourceSystemVi: 'Hệ thống thông tin một cửa điện tử của bộ, ngành, địa phương; Cổng Dịch vụ công quốc gia',
    sourceSystemEn: 'One-stop-shop information systems of ministries and provinces; National Public Service Portal',
  },
  {
    code: 'onestop.digitised_share',
    nameVi: 'Tỷ lệ hồ sơ được số hóa hồ sơ và kết quả giải quyết tại Bộ phận Một cửa',
    nameEn: 'Share of applications whose records and results are digitised at one-stop-shop counters',
    descriptionVi:
      'Số hồ sơ thủ tục hành chính giải quyết xong trong tháng báo cáo tại Bộ phận Một cửa cấp bộ, cấp tỉnh mà cả thành phần hồ sơ và kết quả giải quyết đều được số hóa (bản điện tử có giá trị sử dụng, lưu trên Hệ thống thông tin một cửa điện tử) chia cho tổng số hồ sơ giải quyết xong trong tháng tại Bộ phận Một cửa đó, nhân 100. Tính theo tháng, không lũy kế; thời điểm của giá trị là ngày đầu tháng. Kết luận phiên họp ngày 27/4/2022 yêu cầu triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa cấp bộ, cấp tỉnh ngay từ ngày 01/6/2022, riêng 25 dịch vụ công thiết yếu của Đề án 06 từ ngày 01/7/2022 (mốc riêng cho 25 dịch vụ này không theo dõi được bằng chỉ số này).',
    descriptionEn:
      'Administrative-procedure applications resolved in the reporting month at the one-stop-shop counter of a ministry or province whose submitted documents and result were both digitised (electronic copies valid for reuse, stored on the one-stop-shop information system), divided by all applications resolved at that counter in the month, times 100. Per month, not cumulative; a value is dated the first day of its month. The conclusions of the 27 Apr 2022 meeting require digitisation of records and results at ministerial and provincial one-stop-shop counters from 1 Jun 2022, and for the 25 essential services of Project 06 from 1 Jul 2022 (the separate date for those 25 services cannot be followed with this indicator).',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
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
    code: 'edoc.documents_sent',
    nameVi: 'Văn bản điện tử gửi qua Trục liên thông văn bản quốc gia trong ngày',
    nameEn: 'Electronic documents sent over the National Document Exchange Axis per day',
    descriptionVi:
      'Số văn bản điện tử mà hệ thống quản lý văn bản, điều hành của đơn vị gửi đến cơ quan khác qua Trục liên thông văn bản quốc gia trong ngày báo cáo; một văn bản gửi cho nhiều nơi nhận được tính một lần cho mỗi nơi nhận. Là số phát sinh trong kỳ, cộng dồn khi gộp theo tuần, tháng. Giá trị quốc gia là tổng số văn bản gửi qua Trục, kể cả của các cơ quan kết nối không phải bộ, tỉnh, nên có thể lớn hơn tổng của các bộ, tỉnh. Không phải tỷ lệ văn bản trao đổi dưới dạng điện tử (chỉ số edoc.electronic_share).',
    descriptionEn:
      "Electronic documents that the unit's document-management system sends to other agencies over the National Document Exchange Axis on the reporting day; a document sent to several recipients counts once per recipient. A per-period amount, summed over weeks and months. The national value counts every document sent over the Axis, including by connected agencies that are neither ministries nor provinces, so it can exceed the sum of the ministries and provinces. Not the share of documents exchanged electronically (edoc.electronic_share).",
    unitOfMeasure: 'văn bản/documents',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'daily',
    betterWhen: 'higher',
    defaultAggregation: 'sum',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['VPCP'],
    sourceSystemVi: 'Trục liên thông văn bản quốc gia',
    sourceSystemEn: 'National Document Exchange Axis',
  },
  {
    code: 'edoc.documents_received',
    nameVi: 'Văn bản điện tử nhận qua Trục liên thông văn bản quốc gia trong ngày',
    nameEn: 'Electronic documents received over the National Document Exchange Axis per day',
    descriptionVi:
      'Số văn bản điện tử mà hệ thống quản lý văn bản, điều hành của đơn vị nhận từ cơ quan khác qua Trục liên thông văn bản quốc gia trong ngày báo cáo, mỗi lần nhận tính một văn bản. Là số phát sinh trong kỳ, cộng dồn khi gộp theo tuần, tháng. Giá trị quốc gia là tổng số văn bản nhận qua Trục, kể cả của các cơ quan kết nối không phải bộ, tỉnh; vì mỗi văn bản gửi đến một nơi nhận được tính một lần ở chỉ số gửi, giá trị quốc gia của chỉ số nhận và chỉ số gửi (edoc.documents_sent) trong cùng ngày gần bằng nhau.',
    descriptionEn:
      "Electronic documents that the unit's document-management system receives from other agencies over the National Document Exchange Axis on the reporting day, one per receipt. A per-period amount, summed over weeks and months. The national value counts every document received over the Axis, including by connected agencies that are neither ministries nor provinces; since a document sent counts once per recipient (edoc.documents_sent), the national values of documents received and sent on the same day are nearly equal.",
    unitOfMeasure: 'văn bản/documents',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'daily',
    betterWhen: 'higher',
    defaultAggregation: 'sum',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['VPCP'],
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
  {
    code: 'network.ministry_province_coverage',
    nameVi: 'Tỷ lệ bộ, tỉnh kết nối Mạng truyền số liệu chuyên dùng',
    nameEn: 'Specialised government data network coverage of ministries and provinces',
    descriptionVi:
      'Số bộ, cơ quan ngang bộ và tỉnh, thành phố trực thuộc trung ương đã kết nối Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước chia cho tổng số các đơn vị đó, nhân 100 ("cấp bộ, cấp tỉnh" trong báo cáo tháng 4/2020: 100% năm 2019). Mẫu số thay đổi khi sắp xếp bộ máy (từ 01/3/2025: 17 bộ, cơ quan ngang bộ; từ 01/7/2025: 34 tỉnh, thành phố). Cấp huyện là chỉ số riêng (network.district_coverage).',
    descriptionEn:
      'Ministries, ministerial-level agencies and provinces/centrally-run cities connected to the specialised data network of Party and State agencies, divided by the number of such units, times 100 ("ministerial and provincial level" in the April 2020 report: 100% in 2019). The denominator changes with reorganisations (from 1 Mar 2025: 17 ministries and ministerial-level agencies; from 1 Jul 2025: 34 provincial units). Districts are a separate indicator (network.district_coverage).',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'quarterly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước',
    sourceSystemEn: 'Specialised data network of Party and State agencies',
  },

  // ---------------------------------------------------------------------------
  // The Government's own systems, run by the Government Office (VPCP)
  // ---------------------------------------------------------------------------
  {
    code: 'ecabinet.paperless_meetings',
    nameVi: 'Phiên họp Chính phủ không giấy trên Hệ thống e-Cabinet',
    nameEn: 'Paperless Government meetings on e-Cabinet',
    descriptionVi:
      'Lũy kế số phiên họp của Chính phủ (phiên họp thường kỳ, phiên họp chuyên đề) được tổ chức không dùng tài liệu giấy, với tài liệu họp được gửi, xem và xử lý trên Hệ thống thông tin phục vụ họp và xử lý công việc của Chính phủ (e-Cabinet), kể từ khi hệ thống được đưa vào sử dụng (năm 2019). Không gồm các cuộc họp của bộ, tỉnh trên hệ thống họp của đơn vị mình.',
    descriptionEn:
      'Cumulative number of Government meetings (regular and thematic) held without paper, with the meeting documents sent, read and handled on the Government meeting and work-processing system (e-Cabinet), since the system went into use (2019). Meetings of ministries and provinces on their own meeting systems are not counted.',
    unitOfMeasure: 'phiên họp/meetings',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['VPCP'],
    sourceSystemVi: 'Hệ thống thông tin phục vụ họp và xử lý công việc của Chính phủ (e-Cabinet)',
    sourceSystemEn: 'Government meeting and work-processing system (e-Cabinet)',
  },
  {
    code: 'ecabinet.documents_handled',
    nameVi: 'Hồ sơ, phiếu lấy ý kiến xử lý trên Hệ thống e-Cabinet',
    nameEn: 'Dossiers and ballots handled on e-Cabinet',
    descriptionVi:
      'Lũy kế số hồ sơ công việc được xử lý hoàn toàn trên Hệ thống e-Cabinet thay cho bản giấy, kể từ khi hệ thống được đưa vào sử dụng (năm 2019): hồ sơ, tờ trình gửi Chính phủ, Thủ tướng Chính phủ và phiếu lấy ý kiến thành viên Chính phủ; mỗi hồ sơ hoặc phiếu tính một lần khi được gửi xử lý. Không gồm tài liệu của các phiên họp (chỉ số ecabinet.paperless_meetings đếm phiên họp) và văn bản gửi, nhận qua Trục liên thông văn bản quốc gia.',
    descriptionEn:
      'Cumulative number of work items handled entirely on e-Cabinet instead of on paper since the system went into use (2019): dossiers and submissions to the Government and the Prime Minister, and ballots collecting the opinions of Government members; each dossier or ballot counts once, when it is sent for handling. Meeting documents (ecabinet.paperless_meetings counts meetings) and documents sent or received over the National Document Exchange Axis are not counted.',
    unitOfMeasure: 'hồ sơ/dossiers',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['VPCP'],
    sourceSystemVi: 'Hệ thống thông tin phục vụ họp và xử lý công việc của Chính phủ (e-Cabinet)',
    sourceSystemEn: 'Government meeting and work-processing system (e-Cabinet)',
  },
  {
    code: 'govreport.on_time_share',
    nameVi: 'Tỷ lệ báo cáo gửi đúng hạn trên Hệ thống thông tin báo cáo Chính phủ',
    nameEn: 'Share of reports filed on time in the Government reporting information system',
    descriptionVi:
      'Số báo cáo của đơn vị đến hạn trong tháng theo chế độ báo cáo (Nghị định 09/2019/NĐ-CP) đã được gửi lên Hệ thống thông tin báo cáo Chính phủ (kết nối với hệ thống báo cáo của bộ, tỉnh thành Hệ thống thông tin báo cáo quốc gia) trước hoặc đúng hạn, chia cho tổng số báo cáo của đơn vị đến hạn trong tháng, nhân 100; báo cáo chưa gửi tính là không đúng hạn. Thời điểm của giá trị là ngày đầu tháng. Đây là việc báo cáo Chính phủ, không phải việc gửi số liệu cho dxoc: trang tuân thủ báo cáo của dxoc đo việc sau từ số liệu các đơn vị gửi lên.',
    descriptionEn:
      "Reports of the unit due in the month under the reporting regimes (Decree 09/2019/ND-CP) that were filed in the Government reporting information system (which, connected with the reporting systems of ministries and provinces, forms the National Reporting Information System) on or before their deadline, divided by all reports of the unit due in the month, times 100; a report not filed counts as not on time. A value is dated the first day of its month. This is reporting to the Government, not sending figures to dxoc: dxoc's reporting-compliance page measures the latter from the values units send.",
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province', 'ministry'],
    reportedBy: ['VPCP'],
    sourceSystemVi: 'Hệ thống thông tin báo cáo Chính phủ (Hệ thống thông tin báo cáo quốc gia)',
    sourceSystemEn: 'Government reporting information system (National Reporting Information System)',
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
    code: 'population.social_insurance_records',
    nameVi: 'Thông tin bảo hiểm xã hội đã liên kết với Cơ sở dữ liệu quốc gia về dân cư',
    nameEn: 'Social-insurance records linked to the National Population Database',
    descriptionVi:
      'Lũy kế số thông tin bảo hiểm xã hội (bản ghi của người tham gia) đã được đối chiếu với số định danh cá nhân và tích hợp, kết nối vào Cơ sở dữ liệu quốc gia về dân cư tại thời điểm báo cáo. Không phải số người tham gia bảo hiểm, cũng không phải số bản ghi trong Cơ sở dữ liệu quốc gia về bảo hiểm (chỉ số insurance.participant_records). Giá trị của tỉnh tính theo nơi cư trú.',
    descriptionEn:
      'Cumulative number of social-insurance records (records of participants) matched with a personal identification number and integrated into or connected with the National Population Database at the reporting time. Not the number of insured persons, nor the records of the National Insurance Database (insurance.participant_records). A province value counts records by place of residence.',
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
    code: 'population.vaccination_citizen_records',
    nameVi: 'Công dân có dữ liệu tiêm chủng liên kết với Cơ sở dữ liệu quốc gia về dân cư',
    nameEn: 'Citizens with vaccination data linked to the National Population Database',
    descriptionVi:
      'Lũy kế số công dân có dữ liệu tiêm chủng (từ hệ thống quản lý tiêm chủng của ngành y tế) đã được đối chiếu với số định danh cá nhân và liên kết vào Cơ sở dữ liệu quốc gia về dân cư. Đếm người, không đếm mũi tiêm: "gần 78 triệu thông tin công dân với trên 133 triệu mũi tiêm chủng" (kết luận phiên họp ngày 27/4/2022) là 78 triệu ở chỉ số này và 133 triệu ở chỉ số population.vaccination_doses. Không phải số công dân trong Cơ sở dữ liệu quốc gia về dân cư (population.citizen_records). Giá trị của tỉnh tính theo nơi cư trú.',
    descriptionEn:
      'Cumulative number of citizens whose vaccination data (from the health sector\'s immunisation system) have been matched with a personal identification number and linked to the National Population Database. Counts people, not doses: "nearly 78 million citizens\' records with over 133 million vaccination doses" (conclusions of the 27 Apr 2022 meeting) is 78 million here and 133 million under population.vaccination_doses. Not the number of citizens in the National Population Database (population.citizen_records). A province value counts citizens by place of residence.',
    unitOfMeasure: 'người/people',
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
    code: 'population.vaccination_doses',
    nameVi: 'Mũi tiêm chủng đã liên kết với Cơ sở dữ liệu quốc gia về dân cư',
    nameEn: 'Vaccination doses linked to the National Population Database',
    descriptionVi:
      'Lũy kế số mũi tiêm chủng đã được ghi nhận trên hệ thống quản lý tiêm chủng của ngành y tế và liên kết với số định danh cá nhân của người được tiêm trong Cơ sở dữ liệu quốc gia về dân cư. Đếm mũi tiêm, không đếm người: số người có dữ liệu tiêm chủng liên kết là chỉ số population.vaccination_citizen_records. Giá trị của tỉnh tính theo nơi cư trú của người được tiêm.',
    descriptionEn:
      "Cumulative number of vaccination doses recorded in the health sector's immunisation system and linked to the personal identification number of the vaccinated person in the National Population Database. Counts doses, not people: the number of people with linked vaccination data is population.vaccination_citizen_records. A province value counts doses by the vaccinated person's place of residence.",
    unitOfMeasure: 'mũi tiêm/doses',
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
    code: 'population.teacher_records',
    nameVi: 'Thông tin cán bộ, giáo viên đã liên kết với Cơ sở dữ liệu quốc gia về dân cư',
    nameEn: 'Education staff and teacher records linked to the National Population Database',
    descriptionVi:
      'Lũy kế số thông tin cán bộ quản lý, giáo viên, nhân viên ngành giáo dục (từ cơ sở dữ liệu ngành giáo dục của Bộ Giáo dục và Đào tạo) đã được đối chiếu với số định danh cá nhân và liên kết vào Cơ sở dữ liệu quốc gia về dân cư. Không gồm dữ liệu học sinh, sinh viên. Giá trị của tỉnh tính theo nơi công tác.',
    descriptionEn:
      "Cumulative number of records of education managers, teachers and staff (from the Ministry of Education and Training's education-sector database) matched with a personal identification number and linked to the National Population Database. Pupils' and students' data are not counted. A province value counts records by place of work.",
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
    code: 'population.newborn_id_numbers',
    nameVi: 'Số định danh cá nhân cấp cho trẻ em khi đăng ký khai sinh',
    nameEn: 'Personal ID numbers issued to children at birth registration',
    descriptionVi:
      'Lũy kế số số định danh cá nhân được cấp cho trẻ em ngay khi đăng ký khai sinh, qua kết nối giữa hệ thống đăng ký, quản lý hộ tịch điện tử và Cơ sở dữ liệu quốc gia về dân cư. Không gồm số định danh cấp cho công dân khi thu thập dữ liệu dân cư hoặc cấp thẻ căn cước. Giá trị của tỉnh tính theo nơi đăng ký khai sinh.',
    descriptionEn:
      'Cumulative number of personal identification numbers issued to children at birth registration, through the link between the electronic civil-status registration system and the National Population Database. Numbers issued to citizens when population data were collected or identity cards issued are not counted. A province value counts numbers by place of birth registration.',
    unitOfMeasure: 'số định danh/ID numbers',
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
  {
    code: 'vneid.authentications',
    nameVi: 'Lượt xác thực điện tử bằng tài khoản VNeID trong ngày',
    nameEn: 'Electronic authentications with VNeID accounts per day',
    descriptionVi:
      'Số lượt xác thực thành công bằng tài khoản định danh điện tử của công dân qua hệ thống định danh và xác thực điện tử (ứng dụng VNeID) trong ngày báo cáo: đăng nhập Cổng Dịch vụ công quốc gia và các hệ thống thông tin khác, xác thực thông tin công dân cho hệ thống đề nghị. Là số phát sinh trong kỳ, cộng dồn khi gộp theo tuần, tháng. Đếm lượt, không đếm người: một người có thể xác thực nhiều lần trong ngày, nên số người dùng mỗi ngày không được ghi vào chỉ số này. Giá trị của tỉnh tính theo nơi cư trú của công dân.',
    descriptionEn:
      "Successful authentications with citizens' electronic identification accounts through the electronic identification and authentication system (the VNeID app) on the reporting day: logins to the National Public Service Portal and other information systems, identity checks for requesting systems. A per-period amount, summed over weeks and months. Counts authentications, not people: one person may authenticate several times a day, so daily user counts must not be stored under this code. A province value counts authentications by the citizen's place of residence.",
    unitOfMeasure: 'lượt/authentications',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'daily',
    betterWhen: 'higher',
    defaultAggregation: 'sum',
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
    code: 'einvoice.businesses',
    nameVi: 'Người nộp thuế sử dụng hóa đơn điện tử',
    nameEn: 'Businesses using e-invoices',
    descriptionVi:
      'Số doanh nghiệp, tổ chức kinh tế, hộ và cá nhân kinh doanh đang sử dụng hóa đơn điện tử (đăng ký sử dụng hóa đơn điện tử có mã hoặc không có mã của cơ quan thuế còn hiệu lực) tại thời điểm báo cáo, theo Nghị định 123/2020/NĐ-CP. Là số tại một thời điểm, không phải lũy kế: giảm khi người nộp thuế ngừng sử dụng hoặc giải thể. Giá trị của tỉnh tính theo nơi đăng ký thuế. Không phải số hóa đơn (chỉ số einvoice.issued).',
    descriptionEn:
      'Enterprises, economic organisations, household and individual businesses using e-invoices (a registration to use e-invoices with or without a tax-authority code in effect) at the reporting time, under Decree 123/2020/ND-CP. A level, not cumulative: it falls when taxpayers stop using e-invoices or close. A province value counts taxpayers by place of tax registration. Not the number of invoices (einvoice.issued).',
    unitOfMeasure: 'người nộp thuế/taxpayers',
    kind: 'gauge',
    min: 0,
    max: null,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
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
  // National databases (insurance, land; business registration feeds digitech.new_enterprises)
  // ---------------------------------------------------------------------------
  {
    code: 'insurance.participant_records',
    nameVi: 'Người tham gia bảo hiểm có dữ liệu trong Cơ sở dữ liệu quốc gia về bảo hiểm',
    nameEn: 'Insured persons with records in the National Insurance Database',
    descriptionVi:
      'Lũy kế số người tham gia bảo hiểm xã hội, bảo hiểm y tế hoặc bảo hiểm thất nghiệp có dữ liệu trong Cơ sở dữ liệu quốc gia về bảo hiểm (do Bảo hiểm xã hội Việt Nam xây dựng, vận hành; Bảo hiểm xã hội Việt Nam thuộc Bộ Tài chính từ 01/3/2025) tại thời điểm báo cáo; mỗi người tính một lần dù tham gia nhiều loại bảo hiểm. Không phải số thông tin bảo hiểm xã hội đã liên kết với Cơ sở dữ liệu quốc gia về dân cư (population.social_insurance_records). Giá trị của tỉnh tính theo nơi tham gia bảo hiểm.',
    descriptionEn:
      'Cumulative number of people covered by social, health or unemployment insurance with records in the National Insurance Database (built and run by Vietnam Social Security, under the Ministry of Finance since 1 Mar 2025) at the reporting time; each person counts once, however many kinds of insurance they hold. Not the social-insurance records linked to the National Population Database (population.social_insurance_records). A province value counts people by the province where they are insured.',
    unitOfMeasure: 'người/people',
    kind: 'counter',
    min: 0,
    max: null,
    cadence: 'monthly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BTC'],
    sourceSystemVi: 'Cơ sở dữ liệu quốc gia về bảo hiểm',
    sourceSystemEn: 'National Insurance Database',
  },
  {
    code: 'land.db_coverage',
    nameVi: 'Tỷ lệ đơn vị hành chính có dữ liệu trong Cơ sở dữ liệu đất đai quốc gia',
    nameEn: 'Administrative units whose land data are in the National Land Database',
    descriptionVi:
      'Số đơn vị hành chính đã hoàn thành xây dựng cơ sở dữ liệu đất đai, kết nối và vận hành trong Cơ sở dữ liệu đất đai quốc gia chia cho tổng số đơn vị cùng cấp (của cả nước hoặc của tỉnh), nhân 100. Đến 30/6/2025 tính trên đơn vị cấp huyện; từ 01/7/2025 tính trên đơn vị cấp xã vì cấp huyện không còn (chính quyền địa phương 2 cấp), nên chuỗi số liệu có điểm gãy tại ngày này.',
    descriptionEn:
      'Administrative units whose land database has been built, connected to and put into operation in the National Land Database, divided by all units of the same level (of the country or of the province), times 100. Up to 30 Jun 2025 counted over district-level units; from 1 Jul 2025 over commune-level units, since the district level no longer exists (two-level local government), so the series has a break on that date.',
    unitOfMeasure: '%',
    kind: 'ratio',
    min: 0,
    max: 100,
    cadence: 'quarterly',
    betterWhen: 'higher',
    defaultAggregation: 'last',
    unitKinds: ['nation', 'province'],
    reportedBy: ['BNNMT', 'province'],
    sourceSystemVi: 'Cơ sở dữ liệu đất đai quốc gia',
    sourceSystemEn: 'National Land Database',
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
  {
    code: 'egdi.asean_rank',
    nameVi: 'Xếp hạng Chỉ số phát triển Chính phủ điện tử (EGDI) của Việt Nam trong ASEAN',
    nameEn: "Viet Nam's UN E-Government Development Index (EGDI) rank within ASEAN",
    descriptionVi:
      'Thứ hạng của Việt Nam trong các nước thành viên ASEAN theo Chỉ số phát triển Chính phủ điện tử (EGDI) của Khảo sát Chính phủ điện tử do Liên hợp quốc công bố hai năm một lần. Hạng 1 là cao nhất. Chỉ tính các nước là thành viên ASEAN vào năm khảo sát (10 nước đến năm 2024); thứ hạng "trong Đông Nam Á" (11 nước, kể cả Timor-Leste) chỉ được ghi vào đây khi không khác thứ hạng trong ASEAN. Thời điểm của giá trị tính như thứ hạng EGDI (egdi.rank).',
    descriptionEn:
      'Viet Nam\'s place among the ASEAN member states on the E-Government Development Index (EGDI) of the UN E-Government Survey, published every two years. Rank 1 is the best. Only countries that were ASEAN members in the survey year count (10 up to 2024); a rank "in South-East Asia" (11 countries, Timor-Leste included) is stored here only when it does not differ from the rank within ASEAN. Values are dated as for the EGDI rank (egdi.rank).',
    unitOfMeasure: 'hạng/rank',
    kind: 'gauge',
    min: 1,
    max: 11,
    cadence: 'irregular', // biennial UN survey
    betterWhen: 'lower',
    defaultAggregation: 'last',
    unitKinds: ['nation'],
    reportedBy: ['BKHCN'],
    sourceSystemVi: 'Khảo sát Chính phủ điện tử của Liên hợp quốc (UN DESA)',
    sourceSystemEn: 'United Nations E-Government Survey (UN DESA)',
  },
];
