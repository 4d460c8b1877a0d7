//! Charts drawn on the server as inline SVG (issue 16, dashboards): a horizontal grouped bar chart (one
//! row per group — a level, a department — so long Chinese names fit on a phone) and a line chart over
//! months. Each is an `<svg role="img">` with a `<title>` and a `<desc>` that says every number in words
//! (the text alternative); the page puts the same numbers in a table beside it. Colours come from the
//! stylesheet (`.chart .s0`…), so the SVG carries no style attribute and the CSP stays strict. Every text
//! from the data is escaped. Shared by the staff dashboards and the printable annual report (issue 18).

use std::fmt::Write;

/// The charts' stylesheet: colours by series class, axis and grid lines (the staff stylesheet and the
/// report's both end with it).
pub const STYLE: &str = include_str!("../../templates/charts.css");

/// One series: its name and a value per label.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<u32>,
}

/// Text for SVG/HTML: `& < > " '` escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A round top for an axis: 1, 2 or 5 times a power of ten, at least `max` (and at least 1).
fn nice_top(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            if let Some(top) = step.checked_mul(m)
                && top >= max.max(1)
            {
                return top;
            }
        }
        match step.checked_mul(10) {
            Some(s) => step = s,
            None => return u32::MAX,
        }
    }
}

/// The words of the text alternative: "series: label n, label n; series: …".
fn describe(labels: &[String], series: &[Series<'_>], unit: &str) -> String {
    series
        .iter()
        .map(|s| {
            let items: Vec<String> =
                labels.iter().zip(&s.values).map(|(l, v)| format!("{l} {v} {unit}")).collect();
            format!("{}：{}", s.name, items.join("，")) // zh: the catalogue puts the description in English
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn open(out: &mut String, id: &str, title: &str, desc: &str, width: u32, height: u32) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

fn legend(out: &mut String, series: &[Series<'_>], y: u32) {
    let mut x = 0u32;
    for (i, s) in series.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect class="s{i}" x="{x}" y="{}" width="13" height="13"/><text x="{}" y="{}">{}</text>"#,
            y,
            x + 18,
            y + 12,
            esc(s.name)
        );
        x += 18 + 15 * s.name.chars().count() as u32 + 20;
    }
}

/// Horizontal grouped bars: a row per label, a bar per series, the value at the end of each bar.
pub fn bars(id: &str, title: &str, unit: &str, labels: &[String], series: &[Series<'_>]) -> String {
    const W: u32 = 480;
    const BAR: u32 = 18;
    const GAP: u32 = 14;
    // The label column as wide as the longest label (15 px a character, 12 at most).
    let longest = labels.iter().map(|l| l.chars().count().min(12) as u32).max().unwrap_or(1);
    let label_w = (longest * 15 + 14).clamp(40, 194);
    let n = series.len().max(1) as u32;
    let row = n * BAR + GAP;
    let height = 30 + row * labels.len() as u32 + 8;
    let top = nice_top(series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0));
    let span = W - label_w - 44;
    let mut out = String::new();
    open(&mut out, id, title, &describe(labels, series, unit), W, height);
    legend(&mut out, series, 0);
    for (r, label) in labels.iter().enumerate() {
        let y0 = 30 + r as u32 * row;
        let short: String = label.chars().take(12).collect();
        let _ = write!(
            out,
            r#"<text class="label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            label_w - 8,
            y0 + n * BAR / 2 + 5,
            esc(&short)
        );
        for (i, s) in series.iter().enumerate() {
            let v = s.values.get(r).copied().unwrap_or(0);
            let w = (u64::from(v) * u64::from(span) / u64::from(top)) as u32;
            let y = y0 + i as u32 * BAR;
            let _ =
                write!(out, r#"<rect class="s{i}" x="{label_w}" y="{y}" width="{w}" height="{}"/>"#, BAR - 3);
            // A zero is said in the text alternative and the table; written on the chart it only clutters.
            if v > 0 {
                let _ = write!(
                    out,
                    r#"<text class="value" x="{}" y="{}">{v}</text>"#,
                    label_w + w + 4,
                    y + BAR - 5
                );
            }
        }
    }
    let _ = write!(
        out,
        r#"<line class="axis" x1="{label_w}" y1="24" x2="{label_w}" y2="{}"/></svg>"#,
        height - 6
    );
    out
}

/// Lines over the labels (months, shown by their number on an axis named 月), a dot at each point and a
/// scale on the left.
pub fn lines(id: &str, title: &str, unit: &str, labels: &[String], series: &[Series<'_>]) -> String {
    const W: u32 = 480;
    const H: u32 = 240;
    const LEFT: u32 = 40;
    const TOP: u32 = 30;
    const BOTTOM: u32 = 30;
    let top = nice_top(series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0));
    let plot_h = H - TOP - BOTTOM;
    let step = if labels.len() > 1 { (W - LEFT - 30) / (labels.len() as u32 - 1) } else { 0 };
    let x_of = |i: usize| LEFT + 10 + step * i as u32;
    let y_of = |v: u32| TOP + plot_h - (u64::from(v) * u64::from(plot_h) / u64::from(top)) as u32;
    let mut out = String::new();
    open(&mut out, id, title, &describe(labels, series, unit), W, H);
    legend(&mut out, series, 0);
    for t in [0, top / 2, top] {
        let y = y_of(t);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" y1="{y}" x2="{W}" y2="{y}"/><text class="value" x="{}" y="{}" text-anchor="end">{t}</text>"#,
            LEFT - 4,
            y + 4
        );
    }
    for (i, l) in labels.iter().enumerate() {
        // "2026-03" → "3" (the axis is named 月: twelve "10月" would not fit on a phone)
        let short =
            l.rsplit('-').next().and_then(|m| m.parse::<u32>().ok()).map_or(l.clone(), |m| m.to_string());
        let _ = write!(
            out,
            r#"<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            x_of(i),
            H - 8,
            esc(&short)
        );
    }
    let _ = write!(out, r#"<text class="label" x="{}" y="{}" text-anchor="end">月</text>"#, LEFT - 4, H - 8); // zh: 月 is an entry
    for (k, s) in series.iter().enumerate() {
        let points: Vec<String> =
            s.values.iter().enumerate().map(|(i, v)| format!("{},{}", x_of(i), y_of(*v))).collect();
        let _ = write!(out, r#"<polyline class="l{k}" fill="none" points="{}"/>"#, points.join(" "));
        for (i, v) in s.values.iter().enumerate() {
            let _ = write!(out, r#"<circle class="s{k}" cx="{}" cy="{}" r="3"/>"#, x_of(i), y_of(*v));
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        vec!["全国人大代表".into(), "<script>".into()]
    }

    #[test]
    fn bars_scale_to_a_round_top_and_say_every_number_in_words() {
        let s =
            [Series { name: "收到", values: vec![7, 3] }, Series { name: "按期答复", values: vec![5, 0] }];
        let svg = bars("c1", "按级别", "件", &labels(), &s);
        assert!(svg.starts_with(r#"<svg class="chart""#) && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-labelledby="c1-t c1-d""#));
        assert!(
            svg.contains("收到：全国人大代表 7 件，&lt;script&gt; 3 件；按期答复：全国人大代表 5 件"),
            "{svg}"
        );
        assert!(!svg.contains("<script>"), "data is escaped");
        assert!(svg.contains(">7</text>") && !svg.contains(">0</text>"), "values on the bars, zeros not");
        // labels of 8 characters at most: a column of 134; top = 10 over a span of 302: 7 → 211, 3 → 90
        assert!(svg.contains(r#"<rect class="s0" x="134""#), "{svg}");
        assert!(
            svg.contains(r#"width="211""#) && svg.contains(r#"width="90""#) && svg.contains(r#"width="0""#)
        );
        assert!(!svg.contains("style"), "colours come from the stylesheet");
    }

    #[test]
    fn lines_put_each_month_at_its_place_and_height() {
        let months: Vec<String> = (1..=3).map(|m| format!("2026-{m:02}")).collect();
        let svg = lines("c2", "按月", "件", &months, &[Series { name: "收到", values: vec![0, 5, 2] }]);
        // x: 50, 255, 460; top 5 over 180 px: 0 → 210, 5 → 30, 2 → 138
        assert!(svg.contains(r#"points="50,210 255,30 460,138""#), "{svg}");
        assert!(svg.contains(">3</text>"));
        assert!(svg.contains("收到：2026-01 0 件，2026-02 5 件，2026-03 2 件"));
    }

    #[test]
    fn round_tops() {
        assert_eq!([0, 1, 3, 7, 10, 11, 180, 501].map(nice_top), [1, 1, 5, 10, 10, 20, 200, 1000]);
    }
}
