//! The pages' words in Vietnamese and English.

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Vietnamese first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The language code (`vi`, `en`), as indicator files' texts are keyed.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language of a code; English for anything but `vi`.
    pub fn from_code(code: &str) -> Lang {
        if code == "vi" { Lang::Vi } else { Lang::En }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Where the language's pages live in the static site.
    pub fn root(self) -> &'static str {
        match self {
            Lang::Vi => "",
            Lang::En => "en/",
        }
    }

    pub(crate) fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// Every word the pages use.
pub(crate) struct Words {
    pub language_name: &'static str,
    pub rankings: &'static str,
    pub period: &'static str,
    pub periods: &'static str,
    pub alerts: &'static str,
    pub methodology: &'static str,
    pub rank: &'static str,
    pub change: &'static str,
    pub unit: &'static str,
    pub units: &'static str,
    pub score: &'static str,
    pub level: &'static str,
    pub all_units: &'static str,
    pub all: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub sort_hint: &'static str,
    pub open_data: &'static str,
    pub block: &'static str,
    pub block_rank: &'static str,
    pub overall_rank: &'static str,
    pub new_entry: &'static str,
    pub radar: &'static str,
    pub block_median: &'static str,
    pub history: &'static str,
    pub contributions: &'static str,
    pub indicator: &'static str,
    pub points: &'static str,
    pub contribution: &'static str,
    pub gap: &'static str,
    pub flags: &'static str,
    pub plan: &'static str,
    pub plan_intro: &'static str,
    pub plan_none: &'static str,
    pub plan_relative: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub gain: &'static str,
    pub no_alerts: &'static str,
    pub severity: &'static str,
    pub rule: &'static str,
    pub message: &'static str,
    pub why: &'static str,
    pub by_severity: &'static str,
    pub by_block: &'static str,
    pub by_rule: &'static str,
    pub checked_on: &'static str,
    pub weight: &'static str,
    pub max_points: &'static str,
    pub scoring: &'static str,
    pub evidence: &'static str,
    pub value_type: &'static str,
    pub applies_to: &'static str,
    pub levels: &'static str,
    pub minimum: &'static str,
    pub requires: &'static str,
    pub structure: &'static str,
    pub treatment: &'static str,
    pub engine: &'static str,
    pub indicator_file: &'static str,
    pub data: &'static str,
    pub reproduce: &'static str,
    pub self_assessment: &'static str,
}

const VI: Words = Words {
    language_name: "Tiếng Việt",
    rankings: "Xếp hạng",
    period: "Kỳ",
    periods: "Các kỳ",
    alerts: "Cảnh báo",
    methodology: "Phương pháp",
    rank: "Hạng",
    change: "Thay đổi",
    unit: "Đơn vị",
    units: "đơn vị",
    score: "Điểm",
    level: "Mức",
    all_units: "Tất cả đơn vị",
    all: "Tất cả",
    search: "Tìm",
    search_hint: "Tên hoặc mã đơn vị (gõ có dấu hay không dấu đều được)",
    sort_hint: "Bấm vào tiêu đề cột để sắp xếp; cột chỉ số thành phần xếp hạng theo chỉ số đó.",
    open_data: "Dữ liệu mở",
    block: "Khối",
    block_rank: "Hạng trong khối",
    overall_rank: "Hạng chung",
    new_entry: "mới",
    radar: "Chỉ số thành phần so với trung vị của khối (% tối đa)",
    block_median: "Trung vị khối",
    history: "Điểm và hạng qua các kỳ",
    contributions: "Đóng góp và khoảng cách theo chỉ tiêu",
    indicator: "Chỉ tiêu",
    points: "Điểm chỉ tiêu",
    contribution: "Đóng góp",
    gap: "Còn thiếu",
    flags: "Ghi chú",
    plan: "Kế hoạch cải thiện",
    plan_intro: "Các bước nhỏ nhất nâng điểm nhiều nhất, tính bằng chính bộ máy chấm điểm:",
    plan_none: "Không còn bước nào nâng được điểm.",
    plan_relative: "Bộ chỉ số này chấm một số chỉ tiêu so với các đơn vị khác, nên không tính được kế hoạch riêng cho một đơn vị.",
    from: "Hiện tại",
    to: "Cần đạt",
    gain: "Điểm tăng",
    no_alerts: "Không có cảnh báo.",
    severity: "Mức độ",
    rule: "Quy tắc",
    message: "Nội dung",
    why: "Căn cứ",
    by_severity: "Theo mức độ",
    by_block: "Theo khối",
    by_rule: "Theo quy tắc",
    checked_on: "Kiểm tra ngày",
    weight: "Trọng số",
    max_points: "Điểm tối đa",
    scoring: "Cách chấm điểm",
    evidence: "Minh chứng",
    value_type: "Loại giá trị",
    applies_to: "Áp dụng cho",
    levels: "Các mức trưởng thành",
    minimum: "Điểm tối thiểu",
    requires: "Điều kiện thêm",
    structure: "Cấu trúc chỉ số",
    treatment: "Xử lý dữ liệu",
    engine: "Bộ máy",
    indicator_file: "Bộ chỉ số",
    data: "Dữ liệu",
    reproduce: "Tái lập kết quả",
    self_assessment: "Tự đánh giá",
};

const EN: Words = Words {
    language_name: "English",
    rankings: "Rankings",
    period: "Period",
    periods: "Periods",
    alerts: "Alerts",
    methodology: "Methodology",
    rank: "Rank",
    change: "Change",
    unit: "Unit",
    units: "units",
    score: "Score",
    level: "Level",
    all_units: "All units",
    all: "All",
    search: "Search",
    search_hint: "Unit name or id (with or without diacritics)",
    sort_hint: "Click a column heading to sort; a pillar's column ranks by that pillar.",
    open_data: "Open data",
    block: "Block",
    block_rank: "Rank in block",
    overall_rank: "Overall rank",
    new_entry: "new",
    radar: "Pillars against the block's median (% of maximum)",
    block_median: "Block median",
    history: "Score and rank over the periods",
    contributions: "Contributions and gaps by indicator",
    indicator: "Indicator",
    points: "Indicator score",
    contribution: "Contribution",
    gap: "Gap",
    flags: "Notes",
    plan: "Improvement plan",
    plan_intro: "The smallest steps that gain the most points, computed by the scoring engine itself:",
    plan_none: "No step would raise the score.",
    plan_relative: "This indicator file scores some indicators against the other units, so no plan can be computed for one unit alone.",
    from: "Now",
    to: "Target",
    gain: "Points gained",
    no_alerts: "No alerts.",
    severity: "Severity",
    rule: "Rule",
    message: "Message",
    why: "Why",
    by_severity: "By severity",
    by_block: "By block",
    by_rule: "By rule",
    checked_on: "Checked on",
    weight: "Weight",
    max_points: "Maximum points",
    scoring: "Scoring",
    evidence: "Evidence",
    value_type: "Value type",
    applies_to: "Applies to",
    levels: "Maturity levels",
    minimum: "Minimum score",
    requires: "Also requires",
    structure: "Structure of the index",
    treatment: "Data treatment",
    engine: "Engine",
    indicator_file: "Indicator file",
    data: "Data",
    reproduce: "Reproduce",
    self_assessment: "Self-assessment",
};
