//! The length rule of SMS (issue 17, item 2). A text with any character outside ASCII (Chinese) is sent
//! in UCS-2: **70** characters in a single message, **67** per segment when it is split into a concatenated
//! message; an ASCII text is sent in the GSM 7-bit alphabet: 160, and 153 per segment (`[]{}\~^|` and `€`
//! count two). A character beyond the Basic Multilingual Plane counts two in UCS-2.
//!
//! **The rule the templates follow**: a message may take at most the deployment's number of segments
//! (`LIAISON_SMS_SEGMENTS`, default 2: 134 Chinese characters). A text is built from fixed parts (the
//! wording, a number, a date, a link: never cut) and one shortenable part (a title). When the whole is too
//! long, the shortenable part is cut and ends with `…`, keeping as much of it as fits; when even the fixed
//! parts are too long, the text is refused ([`SmsTooLong`]) and the message fails with that reason rather
//! than arrive cut.

use serde::{Deserialize, Serialize};

/// One part of an SMS text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsPart {
    /// Never cut (wording, numbers, dates, links).
    Fixed(String),
    /// Cut with `…` when the text is too long (a title).
    Shortenable(String),
}

/// A text too long for the segments allowed even with its shortenable part cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("SMS too long: {length} units, at most {max} in {segments} segment(s)")]
pub struct SmsTooLong {
    /// Its length (in the units of its alphabet) with the shortenable part cut to `…`.
    pub length: usize,
    /// The most allowed.
    pub max: usize,
    /// The segments allowed.
    pub segments: u32,
}

fn gsm(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii() && (c == '\n' || c == '\r' || !c.is_ascii_control()))
}

/// The length of `text` in the units of its alphabet (UCS-2 code units, or GSM septets).
pub fn units(text: &str) -> usize {
    if gsm(text) {
        text.chars().map(|c| if "[]{}\\~^|".contains(c) { 2 } else { 1 }).sum()
    } else {
        text.chars().map(char::len_utf16).sum()
    }
}

/// The most units `segments` segments hold for a text like `text` (its alphabet).
pub fn capacity(text: &str, segments: u32) -> usize {
    let (single, each) = if gsm(text) { (160, 153) } else { (70, 67) };
    match segments {
        0 => 0,
        1 => single,
        n => each * n as usize,
    }
}

/// How many segments `text` takes (0 for an empty text).
pub fn segments(text: &str) -> u32 {
    let n = units(text);
    let (single, each) = if gsm(text) { (160, 153) } else { (70, 67) };
    if n == 0 {
        0
    } else if n <= single {
        1
    } else {
        n.div_ceil(each) as u32
    }
}

/// Build the text of `parts` within `max_segments`, cutting the shortenable parts (the rule above).
pub fn fit(parts: &[SmsPart], max_segments: u32) -> Result<String, SmsTooLong> {
    let join = |cut: Option<usize>| -> String {
        parts
            .iter()
            .map(|p| match (p, cut) {
                (SmsPart::Fixed(s), _) | (SmsPart::Shortenable(s), None) => s.clone(),
                (SmsPart::Shortenable(s), Some(n)) => {
                    let kept: String = s.chars().take(n).collect();
                    format!("{kept}…")
                }
            })
            .collect()
    };
    let whole = join(None);
    if units(&whole) <= capacity(&whole, max_segments) {
        return Ok(whole);
    }
    let longest = parts
        .iter()
        .filter_map(|p| if let SmsPart::Shortenable(s) = p { Some(s.chars().count()) } else { None });
    let longest = longest.max().unwrap_or(0);
    // The longest cut that fits (the length is monotone in the cut).
    let (mut lo, mut hi) = (0usize, longest);
    let fits = |n: usize| {
        let t = join(Some(n));
        units(&t) <= capacity(&t, max_segments)
    };
    if longest == 0 || !fits(0) {
        let t = join(Some(0));
        return Err(SmsTooLong {
            length: units(&t),
            max: capacity(&t, max_segments),
            segments: max_segments,
        });
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) { lo = mid } else { hi = mid - 1 }
    }
    Ok(join(Some(lo)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(n: usize) -> String {
        "检".repeat(n)
    }

    #[test]
    fn chinese_takes_70_in_one_segment_and_67_in_each_of_several() {
        assert_eq!(segments(&zh(70)), 1);
        assert_eq!(segments(&zh(71)), 2);
        assert_eq!(segments(&zh(134)), 2);
        assert_eq!(segments(&zh(135)), 3);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(units("a{b"), 4, "an extension character counts two");
        assert_eq!(units("检a"), 2, "one Chinese character makes the whole text UCS-2");
        assert_eq!(segments(""), 0);
    }

    #[test]
    fn a_long_title_is_cut_with_an_ellipsis_and_the_link_never() {
        let link = "https://lx.example.cn/feedback/0123456789abcdef.0123456789abcdef0123456789abcdef01234567";
        let parts = [
            SmsPart::Fixed("您的建议《".into()),
            SmsPart::Shortenable(zh(200)),
            SmsPart::Fixed(format!("》已答复，请评价：{link}")),
        ];
        let one = fit(&parts, 2).unwrap();
        assert_eq!(units(&one), 134, "filled to the limit: {one}");
        assert!(one.ends_with(link) && one.contains("检…》"), "{one}");
        // Short enough: as written.
        let short = [SmsPart::Fixed("建议".into()), SmsPart::Shortenable("标题".into())];
        assert_eq!(fit(&short, 1).unwrap(), "建议标题");
        // The fixed parts alone are too long for one segment: refused, not cut.
        let err = fit(&parts, 1).unwrap_err();
        assert_eq!((err.max, err.segments), (70, 1));
        assert!(err.length > 70);
    }

    #[test]
    fn every_fitted_text_is_within_the_limit() {
        for n in 0..300 {
            for segs in 1..4 {
                let parts = [
                    SmsPart::Fixed("【检察院】建议".into()),
                    SmsPart::Shortenable(zh(n)),
                    SmsPart::Fixed("已交办，请于2026-06-01前答复。".into()),
                ];
                let t = fit(&parts, segs).unwrap();
                assert!(segments(&t) <= segs, "{n} {segs}: {t}");
                if n > 0 && t.contains('…') {
                    // As much of the title as fits: one more character would not.
                    assert_eq!(units(&t), capacity(&t, segs), "{n} {segs}: {t}");
                }
            }
        }
    }
}
