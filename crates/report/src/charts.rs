//! Inline SVG charts, computed in Rust: no script, no external resource. Every chart carries a
//! `<title>` and an `aria-label`; all text in it is escaped here (the templates insert the SVG as
//! safe markup). Colours are the Okabe–Ito palette, which stays distinguishable with colour-blindness.

use crate::format;
use dialoog_model::Role;
use std::fmt::Write as _;

/// Okabe–Ito colours.
pub mod palette {
    pub const ORANGE: &str = "#E69F00";
    pub const SKY_BLUE: &str = "#56B4E9";
    pub const GREEN: &str = "#009E73";
    pub const YELLOW: &str = "#F0E442";
    pub const BLUE: &str = "#0072B2";
    pub const VERMILLION: &str = "#D55E00";
    pub const PURPLE: &str = "#CC79A7";
    pub const BLACK: &str = "#000000";
}

/// The colour of a role in every chart and legend.
pub fn role_colour(role: Role) -> &'static str {
    match role {
        Role::Government => palette::VERMILLION,
        Role::Politician => palette::PURPLE,
        Role::Media => palette::ORANGE,
        Role::Organisation => palette::GREEN,
        Role::Citizen => palette::SKY_BLUE,
    }
}

const WIDTH: f64 = 720.0;
const FONT: f64 = 11.0;
/// Rough width of a character at `FONT`, for laying out labels without overlap.
const CHAR_W: f64 = 6.2;
const AXIS: &str = "#444";
const GRID: &str = "#ddd";
const MUTED: &str = "#666";

/// Escapes text for SVG/XML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn text_w(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * CHAR_W * font / FONT
}

/// Two decimals at most, trailing zeros dropped: keeps the SVG small.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A "nice" axis: (step, top) with top a multiple of step ≥ max and about `ticks` steps.
fn nice_axis(max: u64, ticks: u64) -> (u64, u64) {
    if max == 0 {
        return (1, 1);
    }
    let raw = (max as f64 / ticks as f64).max(1.0);
    let mag = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
        .max(1.0)
        .round() as u64;
    let top = max.div_ceil(step) * step;
    (step, top)
}

fn open(out: &mut String, height: f64, title: &str) {
    let t = esc(title);
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" font-size="{FONT}" font-family="inherit"><title>{t}</title>"#,
        w = n(WIDTH),
        h = n(height),
    );
}

/// A series of a stacked chart: one role, one colour, one value per category.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub colour: String,
    pub values: Vec<u64>,
}

/// A dated marker on a category axis.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Position in categories: 0 is the left edge of the first, `n` the right edge of the last.
    pub position: f64,
    /// Short text drawn on the chart ("1", "2", …); the full label goes in the figure's caption.
    pub tag: String,
    /// Full text, as a tooltip.
    pub label: String,
}

/// A shaded stretch of a category axis (a burst), drawn behind the columns.
#[derive(Debug, Clone)]
pub struct Span {
    /// From and to, in categories as for [`Marker::position`].
    pub start: f64,
    pub end: f64,
    /// Full text, as a tooltip.
    pub label: String,
}

/// Stacked columns (or, beyond 120 categories, a stacked area) over categories, with a y axis,
/// thinned x labels, optional value labels on single-series charts, markers and a legend.
#[derive(Debug, Clone, Default)]
pub struct Stacked {
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    /// Shaded stretches behind the columns (at least 2 units wide, so short ones stay visible).
    pub spans: Vec<Span>,
    /// Axis labels, one per category (empty: the categories themselves).
    pub tick_labels: Vec<String>,
    /// How good a place each category is for a tick (e.g. 3 for the first of a month, 2 for a
    /// Monday, 0 for any day): the chart labels the highest-frequency level whose labels fit.
    /// Empty: all equal.
    pub tick_rank: Vec<u8>,
    /// Write each column's total above it (only when the columns are wide enough).
    pub value_labels: bool,
    /// Draw the legend (off for single-series charts whose caption says what is counted).
    pub legend: bool,
    pub height: f64,
    /// A series drawn as a dark line over the columns (not stacked), e.g. the focus accounts'
    /// share of every column; in the legend when it has values.
    pub line: Option<Series>,
}

/// Columns beyond this many are drawn as an area.
pub const MAX_COLUMNS: usize = 120;

pub fn stacked(spec: &Stacked) -> String {
    let cats = spec.categories.len();
    let totals: Vec<u64> = (0..cats)
        .map(|i| {
            spec.series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let (step, top) = nice_axis(max, 4);

    let left = 12.0 + text_w(&format::int(top), FONT) + 8.0;
    let right = 14.0;
    let marker_rows = if spec.markers.is_empty() { 0.0 } else { 2.0 };
    let plot_top = 14.0 + marker_rows * 13.0;
    let plot_h = if spec.height > 0.0 {
        spec.height
    } else {
        190.0
    };
    let plot_w = WIDTH - left - right;
    let x_axis_y = plot_top + plot_h;
    let legend_h = if spec.legend && !spec.series.is_empty() {
        30.0
    } else {
        0.0
    };
    let height = x_axis_y + 22.0 + legend_h + 4.0;

    let mut out = String::new();
    if cats == 0 || max == 0 {
        return no_data(&spec.title);
    }
    open(&mut out, height, &spec.title);

    // Grid and y axis.
    let y_of = |v: f64| x_axis_y - v / top as f64 * plot_h;
    let mut tick = 0;
    while tick <= top {
        let y = y_of(tick as f64);
        let _ = write!(
            out,
            r#"<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{g}" stroke-width="1"/><text x="{tx}" y="{ty}" text-anchor="end" fill="{m}">{label}</text>"#,
            l = n(left),
            r = n(left + plot_w),
            y = n(y),
            g = if tick == 0 { AXIS } else { GRID },
            tx = n(left - 6.0),
            ty = n(y + 4.0),
            m = MUTED,
            label = format::int(tick),
        );
        tick += step;
    }

    let slot = plot_w / cats as f64;
    for span in &spec.spans {
        let x0 = left + span.start.clamp(0.0, cats as f64) * slot;
        let x1 = left + span.end.clamp(0.0, cats as f64) * slot;
        let w = (x1 - x0).max(2.0);
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}" fill-opacity="0.45"><title>{label}</title></rect>"#,
            x = n(x0.min(left + plot_w - w)),
            y = n(plot_top),
            w = n(w),
            h = n(plot_h),
            c = palette::YELLOW,
            label = esc(&span.label),
        );
    }
    if cats <= MAX_COLUMNS {
        let gap = if slot >= 4.0 { slot * 0.18 } else { 0.0 };
        for (i, total) in totals.iter().enumerate() {
            let x = left + i as f64 * slot + gap / 2.0;
            let mut base = 0u64;
            for s in &spec.series {
                let v = s.values.get(i).copied().unwrap_or(0);
                if v == 0 {
                    continue;
                }
                let y0 = y_of(base as f64);
                let y1 = y_of((base + v) as f64);
                let _ = write!(
                    out,
                    r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"><title>{cat}: {name} {v}</title></rect>"#,
                    x = n(x),
                    y = n(y1),
                    w = n((slot - gap).max(0.5)),
                    h = n((y0 - y1).max(0.3)),
                    c = esc(&s.colour),
                    cat = esc(&spec.categories[i]),
                    name = esc(&s.name),
                    v = format::int(v),
                );
                base += v;
            }
            let label = format::int(*total);
            if spec.value_labels && *total > 0 && text_w(&label, 10.0) <= slot + 2.0 {
                let _ = write!(
                    out,
                    r#"<text x="{x}" y="{y}" text-anchor="middle" font-size="10" fill="{a}">{label}</text>"#,
                    x = n(left + (i as f64 + 0.5) * slot),
                    y = n(y_of(*total as f64) - 4.0),
                    a = AXIS,
                );
            }
        }
    } else {
        // Stacked area through the category centres.
        let mut lower = vec![0u64; cats];
        for s in &spec.series {
            let upper: Vec<u64> = (0..cats)
                .map(|i| lower[i] + s.values.get(i).copied().unwrap_or(0))
                .collect();
            if upper == lower {
                continue;
            }
            let mut points = String::new();
            for (i, v) in upper.iter().enumerate() {
                let _ = write!(
                    points,
                    "{},{} ",
                    n(left + (i as f64 + 0.5) * slot),
                    n(y_of(*v as f64))
                );
            }
            for (i, v) in lower.iter().enumerate().rev() {
                let _ = write!(
                    points,
                    "{},{} ",
                    n(left + (i as f64 + 0.5) * slot),
                    n(y_of(*v as f64))
                );
            }
            let _ = write!(
                out,
                r#"<polygon points="{p}" fill="{c}"><title>{name}</title></polygon>"#,
                p = points.trim_end(),
                c = esc(&s.colour),
                name = esc(&s.name),
            );
            lower = upper;
        }
    }

    // X labels: the most frequent level of ticks whose labels do not overlap.
    let labels: &[String] = if spec.tick_labels.len() == cats {
        &spec.tick_labels
    } else {
        &spec.categories
    };
    for i in tick_indices(labels, &spec.tick_rank, slot) {
        let label = &labels[i];
        let x = left + (i as f64 + 0.5) * slot;
        let half = text_w(label, FONT) / 2.0;
        // Keep labels inside the picture at both ends.
        let tx = x.clamp(half + 2.0, WIDTH - half - 2.0);
        let _ = write!(
            out,
            r#"<line x1="{x}" x2="{x}" y1="{y0}" y2="{y1}" stroke="{a}"/><text x="{tx}" y="{ty}" text-anchor="middle" fill="{a}">{label}</text>"#,
            x = n(x),
            y0 = n(x_axis_y),
            y1 = n(x_axis_y + 4.0),
            a = AXIS,
            tx = n(tx),
            ty = n(x_axis_y + 16.0),
            label = esc(label),
        );
    }

    // Markers: a dashed line and a numbered tag; tags that would collide go to a second row.
    let mut last_x = [f64::NEG_INFINITY; 2];
    for m in &spec.markers {
        let pos = m.position.clamp(0.0, cats as f64);
        let x = left + pos * slot;
        let tag_w = text_w(&m.tag, 10.0) + 10.0;
        let row = if x - last_x[0] >= tag_w {
            0
        } else if x - last_x[1] >= tag_w {
            1
        } else {
            0
        };
        last_x[row] = x;
        let ty = 12.0 + row as f64 * 13.0;
        let _ = write!(
            out,
            r##"<g><title>{label}</title><line x1="{x}" x2="{x}" y1="{y0}" y2="{y1}" stroke="{b}" stroke-width="1.2" stroke-dasharray="4 3"/><rect x="{rx}" y="{ry}" width="{rw}" height="13" rx="3" fill="#fff" stroke="{b}"/><text x="{x}" y="{ty}" text-anchor="middle" font-size="10" fill="{b}">{tag}</text></g>"##,
            label = esc(&m.label),
            x = n(x),
            y0 = n(ty + 3.0),
            y1 = n(x_axis_y),
            b = palette::BLACK,
            rx = n(x - tag_w / 2.0 + 2.0),
            ry = n(ty - 10.0),
            rw = n(tag_w - 4.0),
            ty = n(ty),
            tag = esc(&m.tag),
        );
    }

    if let Some(line) = spec
        .line
        .as_ref()
        .filter(|l| l.values.iter().any(|v| *v > 0))
    {
        // A step line: flat across each column, so it reads as "this much of the column".
        let mut points = String::new();
        for i in 0..cats {
            let y = n(y_of(line.values.get(i).copied().unwrap_or(0) as f64));
            let _ = write!(
                points,
                "{},{y} {},{y} ",
                n(left + i as f64 * slot),
                n(left + (i + 1) as f64 * slot)
            );
        }
        let _ = write!(
            out,
            r#"<polyline points="{p}" fill="none" stroke="{c}" stroke-width="1.6" stroke-linejoin="round"><title>{name}</title></polyline>"#,
            p = points.trim_end(),
            c = esc(&line.colour),
            name = esc(&line.name),
        );
    }

    if legend_h > 0.0 {
        legend(&mut out, &spec.series, left, x_axis_y + 40.0);
        if let Some(line) = spec
            .line
            .as_ref()
            .filter(|l| l.values.iter().any(|v| *v > 0))
        {
            let x = left
                + spec
                    .series
                    .iter()
                    .filter(|s| s.values.iter().any(|v| *v > 0))
                    .map(|s| 16.0 + text_w(&s.name, FONT) + 18.0)
                    .sum::<f64>();
            let y = x_axis_y + 40.0;
            let _ = write!(
                out,
                r#"<line x1="{x0}" x2="{x1}" y1="{ly}" y2="{ly}" stroke="{c}" stroke-width="2"/><text x="{tx}" y="{y}" fill="{a}">{name}</text>"#,
                x0 = n(x),
                x1 = n(x + 14.0),
                ly = n(y - 4.0),
                c = esc(&line.colour),
                tx = n(x + 18.0),
                y = n(y),
                a = AXIS,
                name = esc(&line.name),
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// A low box saying there is nothing to draw, keeping the chart's title for screen readers.
pub fn no_data(title: &str) -> String {
    let mut out = String::new();
    open(&mut out, 44.0, title);
    let _ = write!(
        out,
        r##"<rect x="0.5" y="0.5" width="{w}" height="43" rx="4" fill="#f4f6f8" stroke="{g}"/><text x="{x}" y="27" text-anchor="middle" fill="{m}" font-size="13">No data to show</text></svg>"##,
        w = n(WIDTH - 1.0),
        g = GRID,
        x = n(WIDTH / 2.0),
        m = MUTED,
    );
    out
}

/// Which categories get an axis label: all with a rank ≥ r, for the smallest r whose labels do not
/// overlap (if that leaves at least four); failing that, the best-ranked places first, each kept
/// when it does not overlap the labels already kept.
fn tick_indices(labels: &[String], rank: &[u8], slot: f64) -> Vec<usize> {
    let cats = labels.len();
    if cats == 0 {
        return Vec::new();
    }
    let rank_of = |i: usize| rank.get(i).copied().unwrap_or(0);
    let width = |i: usize| text_w(&labels[i], FONT);
    let fits = |a: usize, b: usize| (b - a) as f64 * slot >= (width(a) + width(b)) / 2.0 + 10.0;
    let top = (0..cats).map(rank_of).max().unwrap_or(0);
    for r in 0..=top {
        let chosen: Vec<usize> = (0..cats).filter(|i| rank_of(*i) >= r).collect();
        if chosen.windows(2).all(|w| fits(w[0], w[1])) && (chosen.len() >= 4 || r == 0) {
            return chosen;
        }
    }
    let floor = u8::from(top > 0);
    let mut order: Vec<usize> = (0..cats).filter(|i| rank_of(*i) >= floor).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(rank_of(*i)), *i));
    let mut chosen = std::collections::BTreeSet::new();
    for i in order {
        let before = chosen.range(..i).next_back().is_none_or(|p| fits(*p, i));
        let after = chosen.range(i + 1..).next().is_none_or(|n| fits(i, *n));
        if before && after {
            chosen.insert(i);
        }
    }
    chosen.into_iter().collect()
}

fn legend(out: &mut String, series: &[Series], left: f64, y: f64) {
    let mut x = left;
    for s in series.iter().filter(|s| s.values.iter().any(|v| *v > 0)) {
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="12" height="12" fill="{c}"/><text x="{tx}" y="{ty}" fill="{a}">{name}</text>"#,
            x = n(x),
            y = n(y - 10.0),
            c = esc(&s.colour),
            tx = n(x + 16.0),
            ty = n(y),
            a = AXIS,
            name = esc(&s.name),
        );
        x += 16.0 + text_w(&s.name, FONT) + 18.0;
    }
}

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone)]
pub struct HBar {
    pub label: String,
    pub value: u64,
    pub colour: String,
    /// Text after the bar, e.g. "1,234 (45.3%)".
    pub note: String,
}

/// Horizontal bars, labelled on the left, with a note after each bar; `scale` is the value of a
/// full-width bar (at least the largest value).
pub fn hbars(title: &str, bars: &[HBar], scale: u64) -> String {
    let row = 24.0;
    let label_w = bars
        .iter()
        .map(|b| text_w(&b.label, FONT))
        .fold(60.0, f64::max)
        .min(260.0)
        + 12.0;
    let note_w = bars
        .iter()
        .map(|b| text_w(&b.note, FONT))
        .fold(40.0, f64::max)
        + 10.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(scale);
    let bar_w = (WIDTH - label_w - note_w - 8.0).max(100.0);
    let height = 8.0 + row * bars.len().max(1) as f64 + 6.0;
    if bars.iter().all(|b| b.value == 0) {
        return no_data(title);
    }
    let mut out = String::new();
    open(&mut out, height, title);
    let _ = write!(
        out,
        r#"<line x1="{x}" x2="{x}" y1="4" y2="{y}" stroke="{a}"/>"#,
        x = n(label_w),
        y = n(height - 4.0),
        a = AXIS
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 8.0 + i as f64 * row;
        let w = if max == 0 {
            0.0
        } else {
            b.value as f64 / max as f64 * bar_w
        };
        let _ = write!(
            out,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" fill="{a}">{label}</text><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"><title>{label}: {note}</title></rect><text x="{nx}" y="{ty}" fill="{a}">{note}</text>"#,
            lx = n(label_w - 8.0),
            ty = n(y + row / 2.0 + 1.0),
            a = AXIS,
            label = esc(&b.label),
            x = n(label_w),
            y = n(y + 3.0),
            w = n(if b.value > 0 { w.max(1.5) } else { 0.0 }),
            h = n(row - 8.0),
            c = esc(&b.colour),
            nx = n(label_w + w + 6.0),
            note = esc(&b.note),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(values: Vec<u64>) -> Stacked {
        Stacked {
            title: "t".into(),
            categories: (0..values.len()).map(|i| format!("c{i}")).collect(),
            series: vec![Series {
                name: "citizen".into(),
                colour: palette::SKY_BLUE.into(),
                values,
            }],
            legend: true,
            value_labels: true,
            ..Stacked::default()
        }
    }

    fn well_formed(svg: &str) {
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains("<title>"));
        assert!(svg.contains("aria-label="));
        assert!(
            !svg.contains("NaN") && !svg.contains("\"inf") && !svg.contains("\"-inf"),
            "{svg}"
        );
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn the_focus_line_is_drawn_flat_over_each_column_and_named() {
        let mut spec = one(vec![4, 0, 8]);
        spec.line = Some(Series {
            name: "Posts by <gov>".into(),
            colour: palette::BLACK.into(),
            values: vec![2, 0, 8],
        });
        let svg = stacked(&spec);
        well_formed(&svg);
        assert_eq!(svg.matches("<polyline ").count(), 1);
        let points = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(
            points.split(' ').count(),
            6,
            "two points per column: {points}"
        );
        let ys: Vec<&str> = points
            .split(' ')
            .map(|p| p.split(',').nth(1).unwrap())
            .collect();
        assert_eq!(ys[0], ys[1], "flat across a column");
        assert!(
            svg.contains("Posts by &lt;gov&gt;"),
            "named in the legend and escaped"
        );
        spec.line.as_mut().unwrap().values = vec![0, 0, 0];
        assert!(
            !stacked(&spec).contains("<polyline"),
            "no line without values"
        );
    }

    #[test]
    fn nice_axes() {
        assert_eq!(nice_axis(0, 4), (1, 1));
        assert_eq!(nice_axis(1, 4), (1, 1));
        assert_eq!(nice_axis(7, 4), (2, 8));
        assert_eq!(nice_axis(100, 4), (25, 100));
        assert_eq!(nice_axis(1234, 4), (500, 1500));
    }

    #[test]
    fn one_bucket() {
        let svg = stacked(&one(vec![5]));
        well_formed(&svg);
        assert!(svg.contains("<rect"));
        assert!(svg.contains(">c0<"));
    }

    #[test]
    fn all_zero_and_empty() {
        for svg in [stacked(&one(vec![0, 0, 0])), stacked(&one(vec![]))] {
            well_formed(&svg);
            assert!(svg.contains("No data to show"));
        }
        let svg = stacked(&Stacked::default());
        well_formed(&svg);
        let svg = hbars("t", &[], 0);
        well_formed(&svg);
        let zero = HBar {
            label: "inform".into(),
            value: 0,
            colour: palette::BLUE.into(),
            note: "0".into(),
        };
        well_formed(&hbars("t", &[zero], 0));
    }

    #[test]
    fn thousands_of_buckets() {
        let values: Vec<u64> = (0..5000).map(|i| (i * 7919) % 50).collect();
        let mut spec = one(values);
        spec.markers = (0..30)
            .map(|i| Marker {
                position: i as f64 * 100.0,
                tag: (i + 1).to_string(),
                label: format!("event {i}"),
            })
            .collect();
        let svg = stacked(&spec);
        well_formed(&svg);
        assert!(svg.contains("<polygon"));
        // Labels thinned: far fewer than the buckets.
        assert!(svg.matches("text-anchor=\"middle\" fill").count() < 20);
        assert!(svg.len() < 400_000, "{}", svg.len());
    }

    #[test]
    fn columns_get_value_labels_and_markers_out_of_range_are_clamped() {
        let mut spec = one(vec![3, 1, 4, 1, 5]);
        spec.markers = vec![Marker {
            position: 99.0,
            tag: "1".into(),
            label: "late".into(),
        }];
        let svg = stacked(&spec);
        well_formed(&svg);
        assert!(svg.contains(">5</text>"));
        assert!(svg.contains("stroke-dasharray"));
    }

    #[test]
    fn ticks_prefer_ranked_places_and_never_overlap() {
        let labels: Vec<String> = (0..64).map(|i| format!("{} Oct", i + 1)).collect();
        // Mondays every 7 days from the 2nd.
        let rank: Vec<u8> = (0..64).map(|i| u8::from(i % 7 == 1)).collect();
        let ticks = tick_indices(&labels, &rank, 10.0);
        assert!(ticks.iter().all(|i| i % 7 == 1), "{ticks:?}");
        let all = tick_indices(&labels, &[], 60.0);
        assert_eq!(all.len(), 64);
        let thin = tick_indices(&labels, &[], 1.0);
        assert!(
            thin.windows(2).all(|w| (w[1] - w[0]) as f64 >= 40.0),
            "{thin:?}"
        );
        assert!(tick_indices(&[], &[], 1.0).is_empty());
        // 400 days: months ranked 3, Januaries 4; months too close at 1.6 px a day for
        // "Mar 2017" labels, so every other month, Januaries included.
        let labels: Vec<String> = (0..400).map(|_| "Mar 2017".to_owned()).collect();
        let rank: Vec<u8> = (0..400)
            .map(|i| match i % 30 {
                0 if i % 360 == 0 => 4,
                0 => 3,
                _ => 0,
            })
            .collect();
        let ticks = tick_indices(&labels, &rank, 1.6);
        assert!(ticks.contains(&0) && ticks.contains(&360), "{ticks:?}");
        assert!(ticks.len() >= 5, "{ticks:?}");
        assert!(
            ticks.windows(2).all(|w| (w[1] - w[0]) as f64 * 1.6 >= 60.0),
            "{ticks:?}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut spec = one(vec![1]);
        spec.title = "<script>alert(1)</script>".into();
        spec.categories = vec!["\"><img onerror=x>".into()];
        let svg = stacked(&spec);
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<img"));
        assert!(svg.contains("&lt;script&gt;"));
    }
}
