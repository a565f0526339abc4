//! SVG charts drawn here: a radar of pillar shares and the history of a score and rank
//! for the pages, and self-contained ones (colours inline, no style sheet) for the
//! one-file report of `dti report`: a bar, bars of shares, a trend line.

use crate::html::{escape, escape_text, fixed, push_fixed};
use std::fmt::Write;

/// SVG points, `x,y x,y ...`, to one decimal.
fn svg_points(coordinates: impl IntoIterator<Item = (f64, f64)>) -> String {
    let mut text = String::new();
    for (index, (x, y)) in coordinates.into_iter().enumerate() {
        if index > 0 {
            text.push(' ');
        }
        push_fixed(&mut text, x, 1);
        text.push(',');
        push_fixed(&mut text, y, 1);
    }
    text
}

/// A coordinate to one decimal.
fn coordinate(value: f64) -> String {
    fixed(Some(value), 1)
}

/// A radar of shares (0 to 1) on `labels`' axes: the unit as a filled polygon, the
/// block's median as a dashed outline.
pub fn radar(labels: &[String], unit: &[Option<f64>], median: &[Option<f64>], median_name: &str) -> String {
    let (width, height, radius) = (640.0, 380.0, 110.0);
    let (cx, cy) = (width / 2.0, height / 2.0 + 4.0);
    let n = labels.len().max(1);
    let at = |axis: usize, share: f64| {
        let angle = std::f64::consts::TAU * axis as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        let r = radius * share.clamp(0.0, 1.0);
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    let polygon = |shares: &[Option<f64>]| {
        svg_points((0..n).map(|axis| at(axis, shares.get(axis).copied().flatten().unwrap_or(0.0))))
    };
    let mut svg =
        format!("<svg class=\"chart radar\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"radar\">");
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let ring_points = svg_points((0..n).map(|axis| at(axis, ring)));
        let _ = write!(svg, "<polygon points=\"{ring_points}\" class=\"grid\"/>");
    }
    for (axis, label) in labels.iter().enumerate() {
        let (x, y) = at(axis, 1.0);
        let (lx, ly) = at(axis, 1.16);
        let anchor = if (lx - cx).abs() < 8.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let share = unit.get(axis).copied().flatten();
        // The whole name, on as many short lines as it needs (never cut), then the share.
        let mut lines = wrap(label, 22);
        lines.push(format!("{}%", fixed(share.map(|share| share * 100.0), 0)));
        let first_dy = -(lines.len() as f64 - 1.0) * 0.55;
        let _ = write!(
            svg,
            "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x}\" y2=\"{y}\" class=\"grid\"/>\
             <text x=\"{lx}\" y=\"{ly}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\">",
            x = coordinate(x),
            y = coordinate(y),
            lx = coordinate(lx),
            ly = coordinate(ly),
        );
        for (index, line) in lines.iter().enumerate() {
            let dy = if index == 0 { first_dy } else { 1.1 };
            let _ = write!(svg, "<tspan x=\"{}\" dy=\"{dy:.2}em\">{}</tspan>", coordinate(lx), escape(line));
        }
        svg.push_str("</text>");
    }
    let _ = write!(
        svg,
        "<polygon points=\"{}\" class=\"median\"><title>{}</title></polygon><polygon points=\"{}\" class=\"unit\"/>",
        polygon(median),
        escape(median_name),
        polygon(unit)
    );
    svg.push_str("</svg>");
    svg
}

/// A label on lines of at most about `width` characters, broken between words.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// One period of a unit's history.
pub struct HistoryPoint {
    /// The period's label.
    pub period: String,
    /// The displayed score.
    pub score: Option<f64>,
    /// The rank in the block.
    pub rank: Option<u32>,
}

/// Two aligned line charts over the periods: the score (0 to `max`) above, the rank in
/// the block below (first place at the top).
pub fn history(points: &[HistoryPoint], max: f64, decimals: usize, labels: [&str; 2]) -> String {
    let (width, left, right) = (640.0, 48.0, 24.0);
    let (score_top, score_height, rank_top, rank_height) = (20.0, 120.0, 184.0, 80.0);
    let height = rank_top + rank_height + 28.0;
    let step = if points.len() > 1 { (width - left - right) / (points.len() - 1) as f64 } else { 0.0 };
    let x = |index: usize| if points.len() > 1 { left + step * index as f64 } else { (width + left - right) / 2.0 };
    let worst = points.iter().filter_map(|point| point.rank).max().unwrap_or(1).max(2);
    let score_y = |score: f64| score_top + score_height * (1.0 - (score / max.max(1e-12)).clamp(0.0, 1.0));
    let rank_y = |rank: u32| rank_top + rank_height * f64::from(rank - 1) / f64::from(worst - 1);
    let mut svg =
        format!("<svg class=\"chart history\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"history\">");
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"12\" class=\"axis-title\">{score}</text><text x=\"0\" y=\"{rank_label}\" class=\"axis-title\">{rank}</text>\
         <line x1=\"{left}\" y1=\"{base}\" x2=\"{end}\" y2=\"{base}\" class=\"grid\"/>\
         <line x1=\"{left}\" y1=\"{rank_top}\" x2=\"{end}\" y2=\"{rank_top}\" class=\"grid\"/>",
        score = escape(labels[0]),
        rank = escape(labels[1]),
        rank_label = rank_top - 8.0,
        base = score_top + score_height,
        end = width - right,
    );
    let line = |coordinates: Vec<(f64, f64)>, class: &str| {
        format!("<polyline points=\"{}\" class=\"{class}\"/>", svg_points(coordinates))
    };
    let scores: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(index, point)| point.score.map(|score| (x(index), score_y(score))))
        .collect();
    let ranks: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(index, point)| point.rank.map(|rank| (x(index), rank_y(rank))))
        .collect();
    svg.push_str(&line(scores, "score"));
    svg.push_str(&line(ranks, "rank"));
    for (index, point) in points.iter().enumerate() {
        let px = x(index);
        if let Some(score) = point.score {
            let y = score_y(score);
            let _ = write!(
                svg,
                "<circle cx=\"{px}\" cy=\"{y}\" r=\"3.5\" class=\"score\"/><text x=\"{px}\" y=\"{ty}\" text-anchor=\"middle\">{value}</text>",
                px = coordinate(px),
                y = coordinate(y),
                ty = coordinate((y - 7.0).max(10.0)),
                value = fixed(Some(score), decimals.min(2)),
            );
        }
        if let Some(rank) = point.rank {
            let y = rank_y(rank);
            let _ = write!(
                svg,
                "<circle cx=\"{px}\" cy=\"{y}\" r=\"3.5\" class=\"rank\"/><text x=\"{px}\" y=\"{ty}\" text-anchor=\"middle\">{rank}</text>",
                px = coordinate(px),
                y = coordinate(y),
                ty = coordinate(y + 15.0),
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{px}\" y=\"{py}\" text-anchor=\"middle\" class=\"period\">{period}</text>",
            px = coordinate(px),
            py = height - 4.0,
            period = escape(&point.period),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A share as a small horizontal bar.
pub fn bar(share: Option<f64>) -> String {
    let share = share.unwrap_or(0.0).clamp(0.0, 1.0);
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"100\" height=\"8\" class=\"track\"/><rect width=\"{}\" height=\"8\" class=\"fill\"/></svg>",
        coordinate(share * 100.0)
    )
}

/// At most `length` characters, with an ellipsis when cut.
pub fn truncate(text: &str, length: usize) -> String {
    if text.chars().count() <= length {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(length.saturating_sub(1)).collect::<String>())
    }
}

/// A share (0 to 1) as a bar 200 pixels wide, its colours inline (for a page without a
/// style sheet).
pub fn standalone_bar(share: f64) -> String {
    format!(
        "<svg width=\"200\" height=\"12\" role=\"img\" aria-label=\"{percent:.0}%\"><rect width=\"200\" height=\"12\" fill=\"#e8eef5\"/>\
         <rect width=\"{width:.1}\" height=\"12\" fill=\"#1d6fb8\"/></svg>",
        percent = share * 100.0,
        width = share * 200.0,
    )
}

/// Labelled horizontal bars of shares (0 to 1), colours inline.
pub fn share_bars(rows: &[(&str, f64)]) -> String {
    let height = 22 * rows.len() + 4;
    let mut svg = format!("<svg width=\"640\" viewBox=\"0 0 640 {height}\" role=\"img\">");
    for (row, (name, share)) in rows.iter().enumerate() {
        let y = row * 22;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\" font-size=\"12\">{name}</text><rect x=\"260\" y=\"{y}\" width=\"300\" height=\"16\" fill=\"#e8eef5\"/>\
             <rect x=\"260\" y=\"{y}\" width=\"{width:.1}\" height=\"16\" fill=\"#2a8f5b\"/><text x=\"570\" y=\"{ty}\" font-size=\"12\">{percent:.1}%</text>",
            ty = y + 12,
            name = escape_text(&truncate(name, 40)),
            width = share.clamp(0.0, 1.0) * 300.0,
            percent = share * 100.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A line through labelled values (a period and a score) on a scale from 0 to `max`,
/// colours inline.
pub fn trend_line(points: &[(String, f64)], max: f64) -> String {
    let (width, height, left, bottom) = (600.0, 180.0, 40.0, 20.0);
    let step = if points.len() > 1 { (width - left - 20.0) / (points.len() - 1) as f64 } else { 0.0 };
    let at = |index: usize, value: f64| (left + step * index as f64, (height - bottom) * (1.0 - value / max));
    let mut svg = format!(
        "<svg width=\"{width}\" viewBox=\"0 0 {width} {height}\" role=\"img\"><line x1=\"{left}\" y1=\"{y0}\" x2=\"{width}\" y2=\"{y0}\" stroke=\"#999\"/>",
        y0 = height - bottom
    );
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(index, (_, value))| {
            let (x, y) = at(index, *value);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ =
        write!(svg, "<polyline points=\"{}\" fill=\"none\" stroke=\"#1d6fb8\" stroke-width=\"2\"/>", path.join(" "));
    for (index, (period, value)) in points.iter().enumerate() {
        let (x, y) = at(index, *value);
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#1d6fb8\"/><text x=\"{x:.1}\" y=\"{ly:.1}\" font-size=\"11\" text-anchor=\"middle\">{value:.1}</text>\
             <text x=\"{x:.1}\" y=\"{py}\" font-size=\"11\" text-anchor=\"middle\">{period}</text>",
            ly = (y - 6.0).max(10.0),
            py = height - 4.0,
            period = escape_text(period),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_radar_draws_one_axis_per_pillar_and_both_polygons() {
        let labels = vec!["A".to_owned(), "B".to_owned(), "C".to_owned()];
        let svg = radar(&labels, &[Some(1.0), Some(0.5), None], &[Some(0.5); 3], "median");
        assert_eq!(svg.matches("<line").count(), 3);
        assert!(svg.contains("class=\"unit\"") && svg.contains("class=\"median\""));
        // A full share touches the radius straight above the centre.
        assert!(svg.contains("points=\"320.0,84.0 "), "{svg}");
        assert!(svg.contains(">A</tspan>") && svg.contains(">100%</tspan>") && svg.contains(">–%</tspan>"));
        // A long name is wrapped, never cut.
        let long = vec!["Hoạt động chuyển đổi số của đơn vị".to_owned(); 3];
        let svg = radar(&long, &[None; 3], &[None; 3], "median");
        assert!(svg.contains(">Hoạt động chuyển đổi</tspan>") && svg.contains(">số của đơn vị</tspan>"), "{svg}");
        assert!(!svg.contains('…'));
    }

    #[test]
    fn the_history_puts_the_first_rank_at_the_top_and_skips_missing_points() {
        let points = vec![
            HistoryPoint { period: "2023".into(), score: Some(500.0), rank: Some(3) },
            HistoryPoint { period: "2024".into(), score: None, rank: None },
            HistoryPoint { period: "2025".into(), score: Some(1000.0), rank: Some(1) },
        ];
        let svg = history(&points, 1000.0, 4, ["Score", "Rank"]);
        assert_eq!(svg.matches("<circle").count(), 4, "two scores and two ranks");
        assert!(svg.contains("<polyline points=\"48.0,80.0 616.0,20.0\" class=\"score\"/>"), "{svg}");
        assert!(svg.contains("<polyline points=\"48.0,264.0 616.0,184.0\" class=\"rank\"/>"), "{svg}");
        assert_eq!(svg.matches("class=\"period\"").count(), 3);
    }
}
