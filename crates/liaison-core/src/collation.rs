//! Pinyin order for names (按姓氏拼音排序), with the surname readings that dictionaries get wrong.
//!
//! A character's everyday reading is not always its reading as a surname: 曾 is Zēng (not céng), 单 Shàn,
//! 解 Xiè, 仇 Qiú, 区 Ōu, 查 Zhā, 朴 Piáo. The sort key reads the surname (compound surnames first) from
//! the override table, the rest from the pinyin data, and compares syllable by syllable, then by tone,
//! then by the characters themselves, so the order is total and stable. Characters of the CJK extensions
//! outside the Basic Multilingual Plane are read from the same data, and the few it lacks (𠮷 jí) from
//! `EXTENSION_READINGS`.

use pinyin::ToPinyin;

/// Compound surnames (复姓) and their readings, checked before single surnames.
const COMPOUND_SURNAMES: &[(&str, &[&str])] = &[
    ("欧阳", &["ou1", "yang2"]),
    ("司马", &["si1", "ma3"]),
    ("诸葛", &["zhu1", "ge3"]),
    ("上官", &["shang4", "guan1"]),
    ("东方", &["dong1", "fang1"]),
    ("皇甫", &["huang2", "fu3"]),
    ("尉迟", &["yu4", "chi2"]),
    ("万俟", &["mo4", "qi2"]),
    ("长孙", &["zhang3", "sun1"]),
    ("令狐", &["ling2", "hu2"]),
    ("慕容", &["mu4", "rong2"]),
    ("宇文", &["yu3", "wen2"]),
    ("司徒", &["si1", "tu2"]),
    ("夏侯", &["xia4", "hou2"]),
    ("公孙", &["gong1", "sun1"]),
    ("端木", &["duan1", "mu4"]),
    ("澹台", &["tan2", "tai2"]),
    ("单于", &["chan2", "yu2"]),
    ("呼延", &["hu1", "yan2"]),
    ("南宫", &["nan2", "gong1"]),
];

/// Single surnames whose surname reading differs from the common one.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng1"),
    ('单', "shan4"),
    ('解', "xie4"),
    ('仇', "qiu2"),
    ('区', "ou1"),
    ('查', "zha1"),
    ('朴', "piao2"),
    ('盖', "ge3"),
    ('召', "shao4"),
    ('缪', "miao4"),
    ('翟', "zhai2"),
    ('覃', "qin2"),
    ('种', "chong2"),
    ('秘', "bi4"),
    ('乐', "yue4"),
    ('尉', "yu4"),
    ('繁', "po2"),
    ('句', "gou1"),
    ('折', "she2"),
    ('员', "yun4"),
    ('长', "zhang3"),
    ('重', "chong2"),
    ('藏', "zang4"),
    ('柏', "bai3"),
    ('宿', "su4"),
    ('隗', "wei3"),
    ('莘', "shen1"),
    ('洗', "xian3"),
    ('厍', "she4"),
    ('舍', "she4"),
    ('能', "nai4"),
    ('传', "chuan2"),
    ('参', "can1"),
    ('贲', "ben1"),
    ('沈', "shen3"),
    ('石', "shi2"),
    ('华', "hua4"),
    ('任', "ren2"),
    ('纪', "ji3"),
    ('过', "guo1"),
    ('那', "na1"),
    ('阚', "kan4"),
    ('费', "fei4"),
];

/// Characters outside the Basic Multilingual Plane (CJK extensions B and after) that occur in personal
/// names and that the pinyin data lacks, with their readings. Without a reading a character sorts after
/// every name and cannot be found by its initials. The data (Unihan-derived, about 15,000 characters
/// outside the BMP) already reads most of them — 𫖯 fǔ as in 赵孟𫖯, 𡒄, 𨱑, 𪨶, 𬱟 — and the tests pin that
/// they have a reading. Only readings that are certain belong here: a wrong one misfiles a person.
const EXTENSION_READINGS: &[(char, &str)] = &[
    // U+20BB7, the 吉 with 土 on top (𠮷田, 𠮷野 in Japanese names): read as 吉, jí.
    ('\u{20BB7}', "ji2"),
];

fn reading(c: char) -> Option<String> {
    if let Some((_, r)) = EXTENSION_READINGS.iter().find(|(x, _)| *x == c) {
        return Some((*r).to_owned());
    }
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    s.to_pinyin().next().flatten().map(|p| p.with_tone_num_end().to_owned())
}

/// The pinyin of a name as syllables with tone numbers (`["zeng1", "guo2", "fan1"]`), surname readings
/// applied. Characters without pinyin (Latin letters, `·`) come through lowercased as they are.
pub fn name_pinyin(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut rest = &chars[..];
    if let Some((surname, readings)) = COMPOUND_SURNAMES.iter().find(|(s, _)| name.starts_with(s)) {
        out.extend(readings.iter().map(|r| (*r).to_owned()));
        rest = &chars[surname.chars().count()..];
    } else if let Some(first) = chars.first()
        && let Some((_, r)) = SURNAME_READINGS.iter().find(|(c, _)| c == first)
    {
        out.push((*r).to_owned());
        rest = &chars[1..];
    }
    for c in rest {
        match reading(*c) {
            Some(p) => out.push(p),
            None if *c == '·' || c.is_whitespace() => {}
            None => out.push(c.to_lowercase().collect()),
        }
    }
    out
}

/// The sort key of a name: compare syllables (letters only), then tones, then the characters.
/// Keys compare with plain byte order, so a database index on them gives pinyin order.
pub fn sort_key(name: &str) -> String {
    let syllables = name_pinyin(name);
    let mut key = String::with_capacity(name.len() * 4);
    for (i, s) in syllables.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.extend(s.chars().filter(|c| !c.is_ascii_digit()));
    }
    key.push('\u{1}');
    for s in &syllables {
        key.push(s.chars().last().filter(char::is_ascii_digit).unwrap_or('5'));
    }
    key.push('\u{1}');
    key.push_str(name);
    key
}

/// The initials of a name's syllables (`zgf` for 曾国藩), for prefix search.
pub fn initials(name: &str) -> String {
    name_pinyin(name).iter().filter_map(|s| s.chars().next()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surname_readings_override_the_common_reading() {
        assert_eq!(name_pinyin("曾国藩"), ["zeng1", "guo2", "fan1"]);
        assert_eq!(name_pinyin("单田芳")[0], "shan4");
        assert_eq!(name_pinyin("解缙")[0], "xie4");
        assert_eq!(name_pinyin("仇英")[0], "qiu2");
        assert_eq!(name_pinyin("区嘉雯")[0], "ou1");
        assert_eq!(name_pinyin("查良镛")[0], "zha1");
        assert_eq!(name_pinyin("朴树")[0], "piao2");
        assert_eq!(name_pinyin("尉迟恭")[..2], ["yu4", "chi2"]);
        assert_eq!(name_pinyin("欧阳修")[..2], ["ou1", "yang2"]);
    }

    #[test]
    fn names_sort_in_pinyin_order_syllable_by_syllable() {
        let mut names = vec!["张伟", "曾静", "安然", "单雪", "李明", "梁山", "区华", "解放", "王芳", "仇海"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["安然", "李明", "梁山", "区华", "仇海", "单雪", "王芳", "解放", "曾静", "张伟"]);
    }

    #[test]
    fn key_is_total_for_homophones() {
        assert_ne!(sort_key("李明"), sort_key("黎明"));
        assert!(sort_key("李明") > sort_key("黎明"), "lí (2) before lǐ (3)");
    }

    /// Issue 14 item 4: names with characters outside the BMP sort by their reading and are found by
    /// their initials, as a surname and inside a given name.
    #[test]
    fn issue14_extension_characters_sort_and_search_by_their_readings() {
        assert_eq!(name_pinyin("𠮷田"), ["ji2", "tian2"]);
        assert_eq!(initials("𠮷田"), "jt");
        assert_eq!(initials("王𠮷"), "wj");
        // Readings we are sure of, from the data.
        assert_eq!(name_pinyin("赵孟𫖯")[2], "fu3");
        // Others the data reads (its readings, not vouched for here): a reading, never the raw character.
        for name in ["𡒄明", "𨱑华", "𪨶立", "𬱟平"] {
            let first = &name_pinyin(name)[0];
            assert!(first.chars().all(|c| c.is_ascii_alphanumeric()), "{name}: {first}");
        }
        let mut names = vec!["张伟", "𠮷田", "安然", "纪明", "李明", "王𠮷", "吉祥"];
        names.sort_by_key(|n| sort_key(n));
        // jì míng before jí tián (syllables first); jí tián before jí xiáng.
        assert_eq!(names, ["安然", "纪明", "𠮷田", "吉祥", "李明", "王𠮷", "张伟"]);
    }

    #[test]
    fn initials_for_prefix_search() {
        assert_eq!(initials("曾国藩"), "zgf");
        assert_eq!(initials("阿依古丽·买买提"), "aygl".to_owned() + "mmt");
    }
}
