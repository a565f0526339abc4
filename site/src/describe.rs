//! Indicator files in words: value types, scoring rules, evidence and data treatment, for
//! the methodology page.

use crate::text::Lang;
use dti_core::framework::validate::format_number;
use dti_core::framework::{Aggregation, Band, Evidence, Framework, Impute, Indicator, Scoring, ValueType};

fn pick(lang: Lang, vi: String, en: String) -> String {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn n(value: f64) -> String {
    format_number(value)
}

/// What kind of value an indicator takes, with its unit.
pub fn value_type(indicator: &Indicator, lang: Lang) -> String {
    let unit = indicator.unit.as_ref().map(|unit| format!(" ({})", unit.get(lang))).unwrap_or_default();
    let kind = match &indicator.value_type {
        ValueType::Number { min, max } => {
            let range = match (min, max) {
                (Some(low), Some(high)) => format!(" {}–{}", n(*low), n(*high)),
                (Some(low), None) => format!(" ≥ {}", n(*low)),
                (None, Some(high)) => format!(" ≤ {}", n(*high)),
                (None, None) => String::new(),
            };
            pick(lang, format!("số{range}"), format!("number{range}"))
        }
        ValueType::Percent => pick(lang, "tỷ lệ % (0–100)".into(), "percent (0–100)".into()),
        ValueType::Count { max } => {
            let cap = max.map(|max| format!(" ≤ {}", n(max))).unwrap_or_default();
            pick(lang, format!("số đếm{cap}"), format!("count{cap}"))
        }
        ValueType::Boolean => pick(lang, "có/không".into(), "yes/no".into()),
        ValueType::Ordinal { labels } => {
            let names: Vec<String> =
                labels.iter().map(|label| format!("{} = {}", n(label.value), label.name.get(lang))).collect();
            pick(lang, format!("mức: {}", names.join("; ")), format!("levels: {}", names.join("; ")))
        }
        ValueType::Checklist { items } => {
            pick(lang, format!("danh mục {} mục", items.len()), format!("checklist of {} items", items.len()))
        }
    };
    format!("{kind}{unit}")
}

fn band(band: &Band, lang: Lang) -> String {
    let range = match (band.from, band.to) {
        (Some(from), Some(to)) => format!("[{}, {})", n(from), n(to)),
        (Some(from), None) => format!("≥ {}", n(from)),
        (None, Some(to)) => format!("< {}", n(to)),
        (None, None) => pick(lang, "mọi giá trị".into(), "any value".into()),
    };
    pick(lang, format!("{range}: {} điểm", n(band.points)), format!("{range}: {} points", n(band.points)))
}

/// How an indicator's value becomes its score.
pub fn scoring(indicator: &Indicator, lang: Lang) -> String {
    match &indicator.scoring {
        Scoring::None => pick(lang, "giá trị được dùng trực tiếp".into(), "the value itself".into()),
        Scoring::Bands { bands } => {
            let bands: Vec<String> = bands.iter().map(|b| band(b, lang)).collect();
            bands.join("; ")
        }
        Scoring::Goalposts(goalposts) => pick(
            lang,
            format!(
                "mốc cố định {} (0) đến {} ({}){}",
                n(goalposts.lower),
                n(goalposts.upper),
                n(goalposts.scale),
                if goalposts.truncate { ", giới hạn trong khoảng" } else { "" }
            ),
            format!(
                "fixed goalposts {} (0) to {} ({}){}",
                n(goalposts.lower),
                n(goalposts.upper),
                n(goalposts.scale),
                if goalposts.truncate { ", truncated" } else { "" }
            ),
        ),
        Scoring::Target { target, scale, cap } => pick(
            lang,
            format!(
                "khoảng cách tới mục tiêu {} × {}{}",
                n(*target),
                n(*scale),
                if *cap { ", tối đa khi đạt mục tiêu" } else { "" }
            ),
            format!("distance to the target {} × {}{}", n(*target), n(*scale), if *cap { ", capped" } else { "" }),
        ),
        Scoring::MinMax { low, high } => pick(
            lang,
            format!("chuẩn hoá min-max giữa các đơn vị về [{}, {}]", n(*low), n(*high)),
            format!("min-max across units onto [{}, {}]", n(*low), n(*high)),
        ),
        Scoring::ZScore { mean, sd } => pick(
            lang,
            format!("điểm z giữa các đơn vị (trung bình {}, độ lệch chuẩn {})", n(*mean), n(*sd)),
            format!("z-score across units (mean {}, sd {})", n(*mean), n(*sd)),
        ),
        Scoring::PercentileRank => pick(lang, "thứ hạng phần trăm (0–1)".into(), "percentile rank (0–1)".into()),
        Scoring::Rank => pick(lang, "thứ hạng giữa các đơn vị".into(), "rank among units".into()),
        Scoring::FractionOfMax { scale } => pick(
            lang,
            format!("tỷ lệ so với giá trị tốt nhất × {}", n(*scale)),
            format!("share of the best value × {}", n(*scale)),
        ),
        Scoring::Boolean { points } => {
            pick(lang, format!("có: {} điểm; không: 0", n(*points)), format!("yes: {} points; no: 0", n(*points)))
        }
        Scoring::Levels { points } => {
            let labels = match &indicator.value_type {
                ValueType::Ordinal { labels } => labels.as_slice(),
                _ => &[],
            };
            let parts: Vec<String> = points
                .iter()
                .map(|(level, points)| {
                    let name = labels
                        .iter()
                        .find(|label| label.value == *level)
                        .map_or_else(|| n(*level), |label| label.name.get(lang).to_owned());
                    format!("{name}: {}", n(*points))
                })
                .collect();
            parts.join("; ")
        }
        Scoring::Checklist => {
            let items = match &indicator.value_type {
                ValueType::Checklist { items } => items.as_slice(),
                _ => &[],
            };
            let parts: Vec<String> =
                items.iter().map(|item| format!("{} ({})", item.name.get(lang), n(item.points))).collect();
            pick(
                lang,
                format!("tổng điểm các mục đạt: {}", parts.join("; ")),
                format!("sum of the items met: {}", parts.join("; ")),
            )
        }
    }
}

/// Whether evidence is required.
pub fn evidence(indicator: &Indicator, lang: Lang) -> &'static str {
    match (indicator.evidence, lang) {
        (Evidence::Required, Lang::Vi) => "bắt buộc",
        (Evidence::Required, Lang::En) => "required",
        (Evidence::Optional, Lang::Vi) => "không bắt buộc",
        (Evidence::Optional, Lang::En) => "optional",
        (Evidence::None, Lang::Vi) => "không thu thập",
        (Evidence::None, Lang::En) => "not collected",
    }
}

/// How an aggregate combines its children.
pub fn aggregation(method: Aggregation, lang: Lang) -> &'static str {
    match (method, lang) {
        (Aggregation::Sum, Lang::Vi) => "tổng",
        (Aggregation::Arithmetic, Lang::Vi) => "trung bình cộng có trọng số",
        (Aggregation::Geometric, Lang::Vi) => "trung bình nhân có trọng số",
        (Aggregation::Harmonic, Lang::Vi) => "trung bình điều hoà có trọng số",
        (_, Lang::Vi) => method.name(),
        (Aggregation::Sum, Lang::En) => "sum",
        (Aggregation::Arithmetic, Lang::En) => "weighted arithmetic mean",
        (Aggregation::Geometric, Lang::En) => "weighted geometric mean",
        (Aggregation::Harmonic, Lang::En) => "weighted harmonic mean",
        (_, Lang::En) => method.name(),
    }
}

/// The data-treatment steps, one sentence each.
pub fn treatment(framework: &Framework, lang: Lang) -> Vec<String> {
    let pipeline = &framework.pipeline;
    let mut steps = Vec::new();
    if pipeline.denominate {
        steps.push(pick(
            lang,
            "Chia chỉ tiêu cho mẫu số khai báo.".into(),
            "Indicators divided by their denominators.".into(),
        ));
    }
    let impute = match &pipeline.impute {
        Impute::None => pick(lang, "Không bù giá trị thiếu.".into(), "Missing values are not imputed.".into()),
        Impute::Mean => {
            pick(lang, "Giá trị thiếu: trung bình các đơn vị.".into(), "Missing values: the mean over units.".into())
        }
        Impute::Median => {
            pick(lang, "Giá trị thiếu: trung vị các đơn vị.".into(), "Missing values: the median over units.".into())
        }
        Impute::GroupMean(group) => pick(
            lang,
            format!("Giá trị thiếu: trung bình trong nhóm `{group}`."),
            format!("Missing values: the mean within group `{group}`."),
        ),
        Impute::GroupMedian(group) => pick(
            lang,
            format!("Giá trị thiếu: trung vị trong nhóm `{group}`."),
            format!("Missing values: the median within group `{group}`."),
        ),
        Impute::PreviousPeriod => pick(
            lang,
            "Giá trị thiếu: giá trị kỳ trước gần nhất của đơn vị (đánh dấu là cũ).".into(),
            "Missing values: the unit's latest earlier value (flagged as carried forward).".into(),
        ),
    };
    steps.push(impute);
    if let Some(screen) = pipeline.screen {
        steps.push(pick(
            lang,
            format!("Loại đơn vị có dưới {}% chỉ tiêu có dữ liệu.", n(screen * 100.0)),
            format!("Units with data for under {}% of indicators are left out.", n(screen * 100.0)),
        ));
    }
    if pipeline.treat.is_some() {
        steps.push(pick(
            lang,
            "Giá trị ngoại lai được xử lý (winsorise / biến đổi log như COINr).".into(),
            "Outliers are treated (winsorised / log-transformed as COINr does).".into(),
        ));
    }
    steps
}
