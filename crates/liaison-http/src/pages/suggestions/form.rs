//! A urlencoded form or query string with repeated fields (`pick=…&pick=…`), which the pages' forms use
//! for checkboxes and multiple selects.

/// The fields of a form, in order.
#[derive(Debug, Default)]
pub(crate) struct FormData(Vec<(String, String)>);

impl FormData {
    /// Read a urlencoded body or query string.
    pub(crate) fn parse(bytes: &[u8]) -> Self {
        Self(form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The first value of a field, or "" when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every non-empty value of a field, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn repeated_fields_are_kept_in_order() {
        let f = FormData::parse("pick=2026-0001%403&pick=&pick=2026-0002%401&lead=%E7%AC%AC".as_bytes());
        assert_eq!(f.all("pick"), ["2026-0001@3", "2026-0002@1"]);
        assert_eq!(f.get("lead"), "第");
        assert_eq!(f.get("none"), "");
    }
}
