//! Synthetic, plainly labelled sample data for the built-in indicator sets, and large
//! ASEM-shaped data for benchmarks. Deterministic: the same seed gives the same files.

use anyhow::{Context, Result, bail};
use dti_core::framework::{Framework, ValueType};
use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic random generator (SplitMix64).
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of uniforms), mean 0, sd 1.
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }
}

fn load(path: &Path) -> Result<Framework> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let loaded = dti_core::load_framework(&path.display().to_string(), &bytes);
    match loaded.framework {
        Some(framework) => Ok(framework),
        None => bail!(
            "{} is not valid:\n{}",
            path.display(),
            loaded.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
        ),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// A unit of the sample: id, name, block, parent, and its latent maturity.
struct SampleUnit {
    id: String,
    name: String,
    block: String,
    parent: String,
    maturity: f64,
    growth: f64,
}

/// One value of an indicator for a unit with a given maturity.
fn value_for(framework: &Framework, node: usize, maturity: f64, random: &mut Random) -> String {
    let indicator = framework.nodes[node].indicator().expect("indicator");
    let level = (maturity + 0.12 * random.normal()).clamp(0.0, 1.0);
    match &indicator.value_type {
        // Budget shares are a few percent; other percentages span the whole range.
        ValueType::Percent if framework.nodes[node].id.contains("budget") => format!("{:.2}", 2.0 * level),
        ValueType::Percent => format!("{:.1}", (100.0 * level).clamp(0.0, 100.0)),
        ValueType::Boolean => {
            if random.unit() < maturity {
                "1".into()
            } else {
                "0".into()
            }
        }
        ValueType::Count { .. } => {
            let top = match framework.nodes[node].id.as_str() {
                id if id.contains("communication") => 40.0,
                id if id.contains("datasets") => 16.0,
                _ => 8.0,
            };
            format!("{}", (level * top).round())
        }
        ValueType::Number { min, max } => {
            let (low, high) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
            format!("{:.3}", low + level * (high - low))
        }
        ValueType::Ordinal { labels } => {
            if indicator.info_only {
                return format!("{}", labels[(random.unit() * labels.len() as f64) as usize % labels.len()].value);
            }
            let position = ((level * labels.len() as f64) as usize).min(labels.len() - 1);
            format!("{}", labels[position].value)
        }
        ValueType::Checklist { items } => items
            .iter()
            .filter(|_| random.unit() < maturity + 0.1)
            .map(|item| item.id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    }
}

/// Wide CSV: one row per unit and period, evidence columns for indicators that require it.
fn write_wide(framework: &Framework, units: &[SampleUnit], periods: &[&str], random: &mut Random) -> String {
    let indicators = framework.indicator_indices();
    let evidence: Vec<usize> = indicators
        .iter()
        .copied()
        .filter(|&node| {
            framework.nodes[node].indicator().is_some_and(|i| i.evidence == dti_core::framework::Evidence::Required)
        })
        .collect();
    let mut out = String::from("unit,name,block,parent,period");
    for &node in &indicators {
        let _ = write!(out, ",{}", framework.nodes[node].id);
    }
    for &node in &evidence {
        let _ = write!(out, ",{id}:evidence,{id}:evidence_date", id = framework.nodes[node].id);
    }
    out.push('\n');
    for (year_index, period) in periods.iter().enumerate() {
        for (unit_index, unit) in units.iter().enumerate() {
            // A few units skip the first period entirely: a missing submission.
            if year_index == 0 && unit_index % 17 == 5 {
                continue;
            }
            let maturity = (unit.maturity + unit.growth * year_index as f64).min(0.98);
            let _ = write!(out, "{},{},{},{},{}", unit.id, csv_field(&unit.name), unit.block, unit.parent, period);
            let block = framework.block_index(&unit.block);
            for &node in &indicators {
                let applies = framework.nodes[node].indicator().is_some_and(|i| i.applies_to_block(block));
                let gap = random.unit() < 0.04;
                let mut value =
                    if applies && !gap { value_for(framework, node, maturity, random) } else { String::new() };
                // Outliers: a handful of implausibly high counts.
                if applies
                    && unit_index % 23 == 7
                    && matches!(framework.nodes[node].indicator().map(|i| &i.value_type), Some(ValueType::Count { .. }))
                {
                    value = "250".into();
                }
                let _ = write!(out, ",{}", csv_field(&value));
            }
            for &node in &evidence {
                if random.unit() < 0.8 {
                    let day = 1 + (random.unit() * 27.0) as u32;
                    let _ = write!(
                        out,
                        ",https://portal.example.gov.vn/{}/{}/{},{}-{:02}-{:02}",
                        unit.id.to_lowercase(),
                        period,
                        framework.nodes[node].id,
                        period,
                        1 + unit_index % 12,
                        day
                    );
                } else {
                    out.push_str(",,");
                }
            }
            out.push('\n');
        }
    }
    out
}

const MINISTRY_DOMAINS: &[&str] = &[
    "Tài chính",
    "Công Thương",
    "Nông nghiệp và Môi trường",
    "Xây dựng",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Khoa học và Công nghệ",
    "Nội vụ",
    "Tư pháp",
    "Văn hóa, Thể thao và Du lịch",
    "Ngoại giao",
    "Dân tộc và Tôn giáo",
    "Quốc phòng",
    "Công an",
    "Thanh tra",
    "Ngân hàng",
    "Kế hoạch vùng",
    "Giao thông số",
    "Lao động số",
    "Thông tin số",
    "Hải quan",
    "Thuế",
    "Kho bạc",
    "Bảo hiểm",
    "Thống kê",
];

/// Writes every sample data file into `indicators/samples/`.
pub fn write_samples(indicators: &Path) -> Result<()> {
    let samples = indicators.join("samples");
    std::fs::create_dir_all(&samples)?;
    let mut random = Random::new(20_251_123);

    let ministry = load(&indicators.join("vn-ministry.toml"))?;
    let ministries: Vec<SampleUnit> = MINISTRY_DOMAINS
        .iter()
        .enumerate()
        .map(|(index, domain)| SampleUnit {
            id: format!("M{:02}", index + 1),
            name: format!("Bộ {domain} (mô phỏng)"),
            block: if index < 17 {
                "ministry-with-public-services".into()
            } else {
                "ministry-without-public-services".into()
            },
            parent: String::new(),
            maturity: 0.25 + 0.65 * random.unit(),
            growth: 0.02 + 0.06 * random.unit(),
        })
        .collect();
    let text = write_wide(&ministry, &ministries, &["2023", "2024", "2025"], &mut random);
    std::fs::write(samples.join("vn-ministry-sample.csv"), text)?;

    let unit_framework = load(&indicators.join("vn-unit.toml"))?;
    let units: Vec<SampleUnit> = (0..300)
        .map(|index| {
            let parent = &ministries[index % ministries.len()];
            SampleUnit {
                id: format!("{}-U{:03}", parent.id, index + 1),
                name: format!("Đơn vị mô phỏng {:03} thuộc {}", index + 1, parent.name),
                block: if index % 3 == 0 {
                    "unit-without-public-services".into()
                } else {
                    "unit-with-public-services".into()
                },
                parent: parent.id.clone(),
                maturity: (parent.maturity + 0.15 * random.normal()).clamp(0.1, 0.95),
                growth: 0.01 + 0.07 * random.unit(),
            }
        })
        .collect();
    let text = write_wide(&unit_framework, &units, &["2023", "2024", "2025"], &mut random);
    std::fs::write(samples.join("vn-unit-sample.csv"), text)?;

    for (id, count) in [("desi", 12), ("egdi", 10), ("gtmi", 10)] {
        let framework = load(&indicators.join(format!("{id}.toml")))?;
        let countries: Vec<SampleUnit> = (0..count)
            .map(|index| SampleUnit {
                id: format!("C{:02}", index + 1),
                name: format!("Quốc gia mô phỏng {} / Synthetic country {}", index + 1, index + 1),
                block: String::new(),
                parent: String::new(),
                maturity: 0.15 + 0.8 * random.unit(),
                growth: 0.02 * random.unit(),
            })
            .collect();
        let text = write_wide(&framework, &countries, &["2024"], &mut random);
        std::fs::write(samples.join(format!("{id}-sample.csv")), text)?;
    }
    println!("wrote sample data to {}", samples.display());
    Ok(())
}

/// Pillar sizes of the ASEM index (49 indicators in 8 pillars).
const ASEM_PILLARS: &[(&str, &str, usize)] = &[
    ("Physical", "Conn", 8),
    ("ConEcFin", "Conn", 5),
    ("Political", "Conn", 3),
    ("Instit", "Conn", 6),
    ("P2P", "Conn", 8),
    ("Environ", "Sust", 5),
    ("Social", "Sust", 9),
    ("SusEcFin", "Sust", 5),
];

/// Writes an ASEM-shaped COINr iMeta (49 indicators, 8 pillars, 2 sub-indices, 4 groups,
/// 4 denominators) and `units` units of synthetic data beside it.
pub fn write_bench_data(out: &Path, units: usize) -> Result<()> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let denominators = ["Area", "Energy", "GDP", "Population"];
    let groups = ["GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"];
    let mut meta = String::from("Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n");
    let mut codes = Vec::new();
    let mut number = 0;
    for (pillar, _, size) in ASEM_PILLARS {
        for _ in 0..*size {
            number += 1;
            let code = format!("I{number:02}");
            let direction = if number % 7 == 3 || number % 11 == 5 { -1 } else { 1 };
            let denominator = if number % 3 == 1 { denominators[number % 4] } else { "NA" };
            let _ =
                writeln!(meta, "1,{code},Indicator {number},{direction},1,Score,NA,{denominator},{pillar},Indicator");
            codes.push(code);
        }
    }
    for (pillar, parent, _) in ASEM_PILLARS {
        let _ = writeln!(meta, "2,{pillar},{pillar},1,1,Score,NA,NA,{parent},Aggregate");
    }
    meta.push_str("3,Conn,Connectivity,1,1,Score,NA,NA,Index,Aggregate\n3,Sust,Sustainability,1,1,Score,NA,NA,Index,Aggregate\n4,Index,Index,1,1,Score,NA,NA,NA,Aggregate\n");
    for group in groups {
        let _ = writeln!(meta, "NA,{group},{group},NA,NA,NA,NA,NA,NA,Group");
    }
    for denominator in denominators {
        let _ = writeln!(meta, "NA,{denominator},{denominator},NA,NA,Unit,NA,NA,NA,Denominator");
    }
    std::fs::write(out.with_file_name("asem-like-iMeta.csv"), meta)?;

    let mut random = Random::new(49);
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    use std::io::Write as _;
    let mut header = String::from("uCode,uName");
    for group in groups {
        let _ = write!(header, ",{group}");
    }
    header.push_str(",Time");
    for denominator in denominators {
        let _ = write!(header, ",{denominator}");
    }
    for code in &codes {
        let _ = write!(header, ",{code}");
    }
    writeln!(writer, "{header}")?;
    let sizes = ["S", "M", "L", "XL"];
    let mut line = String::new();
    for unit in 0..units {
        line.clear();
        let _ = write!(line, "U{unit:06},Unit {unit}");
        for _ in groups {
            let _ = write!(line, ",{}", sizes[(random.unit() * 4.0) as usize % 4]);
        }
        line.push_str(",2018");
        for _ in denominators {
            let _ = write!(line, ",{:.3}", 10.0 + 1000.0 * random.unit());
        }
        for (column, _) in codes.iter().enumerate() {
            if random.unit() < 0.012 {
                line.push_str(",NA");
            } else {
                // As in the ASEM data, most indicators are well behaved and about a third
                // are skewed enough to need outlier treatment.
                let value = match column % 10 {
                    0..=6 => 50.0 + 10.0 * random.normal(),
                    7 | 8 => 10.0 * (0.5 * random.normal()).exp(),
                    _ => 10.0 * (0.9 * random.normal()).exp(),
                };
                let _ = write!(line, ",{value:.6}");
            }
        }
        writeln!(writer, "{line}")?;
    }
    writer.flush()?;
    Ok(())
}
