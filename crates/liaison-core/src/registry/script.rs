//! Which characters a name or a label may hold (issue 12). Invisible format characters that reorder or
//! hide text — bidi overrides and isolates, zero-width spaces and joiners — are refused in every name and
//! label, since they make one text show as another. A person's name is written in Chinese characters,
//! Latin letters (pinyin with its tone marks, Vietnamese for the Gin), the middle dot, or a script of
//! China's minority languages (Tibetan, Mongolian and Manchu/Xibe, the Arabic script of Uyghur and Kazakh,
//! Yi, Lisu, the Dai scripts, Hangul, Pollard Miao, Cyrillic), and never mixes Latin and Cyrillic letters:
//! look-alikes (Cyrillic "а" among Latin letters, Greek, full-width Latin, CJK compatibility ideographs,
//! Kangxi radicals, kana) are refused.

use crate::ValueError;

/// Invisible characters that reorder or hide text: the bidi marks, embeddings, overrides and isolates, the
/// zero-width space, joiners and word joiner, the invisible operators, the byte-order mark and soft hyphen.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// Refuse a text holding an invisible character, naming it by its code point.
pub(crate) fn no_invisible(s: &str) -> Result<(), ValueError> {
    match s.chars().find(|c| invisible(*c)) {
        Some(c) => Err(ValueError::Invisible(c as u32)),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Latin,
    Cyrillic,
    Other,
}

/// The script a name's letter belongs to, if it is one a name may use.
fn script(c: char) -> Option<Script> {
    let u = c as u32;
    let han = matches!(u,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EE5F | 0x30000..=0x323AF)
        // The twelve unified ideographs in the compatibility block (the others duplicate unified ones).
        || matches!(u, 0xFA0E | 0xFA0F | 0xFA11 | 0xFA13 | 0xFA14 | 0xFA1F | 0xFA21 | 0xFA23 | 0xFA24 | 0xFA27..=0xFA29);
    if han {
        return Some(Script::Han);
    }
    if matches!(u, 0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF) && u != 0xD7 && u != 0xF7 {
        return Some(Script::Latin);
    }
    if matches!(u, 0x400..=0x4FF) {
        return Some(Script::Cyrillic);
    }
    let minority = matches!(u,
        0x0F00..=0x0FFF                                            // Tibetan
        | 0x1800..=0x18AF | 0x11660..=0x1167F                      // Mongolian, Todo, Manchu, Xibe
        | 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF
        | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC                        // Arabic script (Uyghur, Kazakh, Kyrgyz)
        | 0xA000..=0xA4CF                                          // Yi
        | 0xA4D0..=0xA4FF | 0x11FB0..=0x11FBF                      // Lisu
        | 0x1950..=0x197F | 0x1980..=0x19DF | 0x1A20..=0x1AAF      // Tai Le, New Tai Lue, Tai Tham (Dai)
        | 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF                        // Hangul (Korean)
        | 0x16F00..=0x16F9F                                        // Pollard Miao
    );
    minority.then_some(Script::Other)
}

/// A letter of a name: alphabetic (vowel signs and harakat count), a combining tone mark after Latin, or the
/// marks some scripts write inside a name (the Tibetan tsheg, Mongolian variation selectors).
pub(crate) fn letter(c: char) -> bool {
    c.is_alphabetic()
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{0F0B}' | '\u{0F0C}' | '\u{180B}'..='\u{180F}')
}

/// Refuse a name with a character outside the scripts a name may use, or mixing Latin and Cyrillic.
pub(crate) fn name_characters(s: &str) -> Result<(), ValueError> {
    let mut seen = (false, false);
    for c in s.chars() {
        if matches!(c, '·' | ' ' | '-' | '.') {
            continue;
        }
        let combining = matches!(c, '\u{0300}'..='\u{036F}');
        let script = if combining { Some(Script::Latin) } else { script(c) };
        match script.filter(|_| letter(c)) {
            Some(Script::Latin) => seen.0 = true,
            Some(Script::Cyrillic) => seen.1 = true,
            Some(Script::Han | Script::Other) => {}
            None => return Err(ValueError::BadCharacters(shown(c))),
        }
        if seen == (true, true) {
            return Err(ValueError::MixedScripts(shown(c)));
        }
    }
    Ok(())
}

/// A character as a message names it: `「а」（U+0430）`.
pub(crate) fn shown(c: char) -> String {
    format!("「{c}」（U+{:04X}）", c as u32)
}
