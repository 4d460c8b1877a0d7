//! At intake: the earlier suggestions that look like a new one (any year), so the officer can link or
//! merge a duplicate instead of opening a second handling. Chinese has no spaces between words, so the
//! texts are compared by their character bigrams (two characters side by side; a run of Latin letters or
//! digits counts as one token), the title weighing double; the score is the share of the new text's
//! bigrams found in the earlier one (‰). The intake page also offers the accounts that may handle an
//! assignment (`handlers`) and the answer templates (`answer_templates`).

use std::collections::BTreeSet;

use super::*;

/// The least score (‰) shown: below it, a shared phrase or two is chance.
pub const SIMILAR_MIN_PERMILLE: u32 = 250;
/// How many are shown at most.
pub const SIMILAR_MAX: usize = 5;

/// An earlier suggestion that looks like the one being filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Similar {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// Number (`2026-0001`).
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// Status in Chinese.
    pub status_zh: String,
    /// Received on.
    pub received_on: NaiveDate,
    /// The lead department, when assigned.
    pub lead: Option<String>,
    /// The co-signers' names.
    pub deputies: Vec<String>,
    /// How alike (‰ of the new text's bigrams found in it, the title counted twice).
    pub score_permille: u32,
    /// A few of the words they share, for the officer to see why.
    pub shared: Vec<String>,
}

/// An account that may handle a suggestion: a department's active person account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Handler {
    /// The login (what an assignment names).
    pub login: String,
    /// The name.
    pub name: String,
    /// The department's name.
    pub department: String,
}

/// A ready-made answer text the handler starts from (one per outcome class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct AnswerTemplate {
    /// A short key.
    pub key: &'static str,
    /// Its name in the list.
    pub label: &'static str,
    /// The class it suits (A–D).
    pub class: &'static str,
    /// The text (the handler completes the bracketed parts).
    pub text: &'static str,
}

/// The bracketed parts of the answer templates still in `text` (`【具体措施】` …): an answer sent with one
/// would tell the deputy nothing, so the answer is refused until each is replaced.
pub fn unfilled_placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in ANSWER_TEMPLATES {
        let mut rest = t.text;
        while let Some(start) = rest.find('【') {
            let Some(len) = rest[start..].find('】') else { break };
            let part = &rest[start..start + len + '】'.len_utf8()];
            if text.contains(part) && !out.iter().any(|p| p == part) {
                out.push(part.to_owned());
            }
            rest = &rest[start + len..];
        }
    }
    out
}

/// The answer templates: a fixed set kept here, in the app layer (not yet a setting the office edits).
pub const ANSWER_TEMPLATES: &[AnswerTemplate] = &[
    AnswerTemplate {
        key: "solved",
        label: "A 类：已解决",
        class: "A",
        text: "尊敬的代表：您提出的建议收悉。经研究，我院已采取以下措施：【具体措施】。该问题已基本解决。感谢您对检察工作的关心和支持，欢迎继续提出意见和建议。",
    },
    AnswerTemplate {
        key: "in_plan",
        label: "B 类：正在解决或已列入计划",
        class: "B",
        text: "尊敬的代表：您提出的建议收悉。经研究，我院已将此事列入工作计划，计划于【日期】前完成【具体措施】，届时将再次向您答复办理结果。感谢您对检察工作的关心和支持。",
    },
    AnswerTemplate {
        key: "later",
        label: "C 类：条件尚不具备，待以后解决",
        class: "C",
        text: "尊敬的代表：您提出的建议收悉。经研究，因【原因】，目前条件尚不具备，我院将在【日期】前创造条件逐步解决，并及时向您通报进展。感谢您的理解和支持。",
    },
    AnswerTemplate {
        key: "reference",
        label: "D 类：留作参考",
        class: "D",
        text: "尊敬的代表：您提出的建议收悉。经认真研究，因【原因说明】，暂难采纳，我院将留作工作参考。感谢您对检察工作的关心和支持。",
    },
];

/// Bigrams every suggestion's title has (「关于……的建议」): they say nothing about the matter.
const STOP: &[&str] = &["关于", "的建", "建议", "的意", "意见"];
/// Particles trimmed off the ends of a shared phrase.
const PARTICLES: &str = "于的在和与及对";

/// The tokens of a text: each pair of neighbouring CJK characters, and each run of Latin letters or digits
/// (lower-cased) of two or more; punctuation and spaces break a run; the [`STOP`] bigrams are left out.
pub(crate) fn bigrams(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut prev: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            prev = None;
            continue;
        }
        if word.chars().count() >= 2 {
            out.insert(std::mem::take(&mut word));
        }
        word.clear();
        if c.is_alphabetic() && !c.is_ascii() {
            if let Some(p) = prev {
                out.insert([p, c].iter().collect());
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    out.retain(|t| !STOP.contains(&t.as_str()));
    out
}

/// The shared tokens as the officer reads them: the longest runs of the new text whose every bigram is
/// shared, three characters or more (「未成年人保护联络点」 rather than 「未成」「成年」…), then shared Latin
/// words; the longest first.
fn phrases(texts: [&str; 2], shared: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        let chars: Vec<char> = t.chars().collect();
        let mut run = String::new();
        for (i, c) in chars.iter().enumerate() {
            let pair: Option<String> = chars.get(i + 1).map(|n| [*c, *n].iter().collect());
            if pair.is_some_and(|p| shared.contains(&p)) {
                if run.is_empty() {
                    run.push(*c);
                }
                run.extend(chars.get(i + 1));
            } else if !run.is_empty() {
                // A run starts or ends with a particle where its neighbour was a stop bigram (「于加强」).
                let core = std::mem::take(&mut run);
                let core = core.trim_matches(|c| PARTICLES.contains(c));
                if core.chars().count() >= 3 {
                    out.push(core.to_owned());
                }
            }
        }
    }
    out.extend(shared.iter().filter(|t| t.is_ascii()).cloned());
    out.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    out.dedup();
    let mut kept: Vec<String> = Vec::new();
    for p in out {
        if !kept.iter().any(|k| k.contains(p.as_str())) {
            kept.push(p);
        }
    }
    kept.truncate(6);
    kept
}

/// How alike an earlier suggestion is to a new one (‰ of the new one's tokens found in the earlier one, a
/// title token counted twice), and the tokens they share.
pub(crate) fn likeness(new: (&str, &str), old: (&str, &str)) -> (u32, Vec<String>) {
    let (nt, nx) = (bigrams(new.0), bigrams(new.1));
    let old: BTreeSet<String> = bigrams(old.0).union(&bigrams(old.1)).cloned().collect();
    let weight = |t: &String| if nt.contains(t) { 2u64 } else { 1 };
    let all: BTreeSet<&String> = nt.iter().chain(&nx).collect();
    let total: u64 = all.iter().map(|t| weight(t)).sum();
    if total == 0 {
        return (0, Vec::new());
    }
    let shared: BTreeSet<String> = all.into_iter().filter(|t| old.contains(*t)).cloned().collect();
    let hit: u64 = shared.iter().map(weight).sum();
    let score = u32::try_from(hit * 1000 / total).unwrap_or(1000);
    (score, phrases([new.0, new.1], &shared))
}

impl App {
    /// The earlier suggestions (any year, any status but merged) most like a new one's title and text,
    /// best first: at most [`SIMILAR_MAX`], none below [`SIMILAR_MIN_PERMILLE`].
    pub fn similar_suggestions(
        &self,
        p: &Principal,
        title: &str,
        text: &str,
    ) -> Result<Vec<Similar>, AppError> {
        p.require(Action::FileSuggestion)?;
        if title.trim().is_empty() && text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.read(|s| s.records(&p.tenant, SUGGESTION, &RecordQuery::default()))?;
        let mut out: Vec<Similar> = rows
            .iter()
            .filter_map(|r| parse_suggestion(r).ok())
            .filter(|s| s.status != SuggestionStatus::Merged)
            .filter_map(|s| {
                let (score, shared) = likeness((title, text), (s.title.as_str(), s.content.as_str()));
                (score >= SIMILAR_MIN_PERMILLE).then(|| Similar {
                    id: s.id.0,
                    number: s.number.map(|n| n.to_string()),
                    title: s.title.to_string(),
                    status_zh: s.status.zh().into(),
                    received_on: s.received_on,
                    lead: s.assignment.as_ref().map(|a| a.lead.name.to_string()),
                    deputies: s.proposers.iter().map(|x| x.name.to_string()).collect(),
                    score_permille: score,
                    shared,
                })
            })
            .collect();
        out.sort_by(|a, b| b.score_permille.cmp(&a.score_permille).then(b.received_on.cmp(&a.received_on)));
        out.truncate(SIMILAR_MAX);
        Ok(out)
    }

    /// The accounts a suggestion may be assigned to (a department's active person accounts), by
    /// department: what the office's assignment form offers.
    pub fn handlers(&self, p: &Principal) -> Result<Vec<Handler>, AppError> {
        p.require(Action::AssignSuggestion)?;
        let (users, org) = self.read(|q| Ok((q.users(&p.tenant)?, q.organisation(&p.tenant)?)))?;
        let mut out: Vec<Handler> = users
            .into_iter()
            .filter(|u| u.active && u.roles.contains(&Role::Department))
            .filter_map(|u| {
                let d = org.departments.get(&u.department?)?;
                Some(Handler { login: u.login, name: u.display_name, department: d.name.to_string() })
            })
            .collect();
        out.sort_by(|a, b| a.department.cmp(&b.department).then(a.name.cmp(&b.name)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_cut_into_bigrams_and_latin_into_words() {
        let b = bigrams("关于未成年人，APP 2026");
        let want: BTreeSet<String> =
            ["于未", "未成", "成年", "年人", "app", "2026"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(b, want);
        assert!(bigrams("。，！").is_empty());
    }

    #[test]
    fn the_same_matter_scores_high_and_another_low() {
        let new = ("关于加强未成年人检察工作的建议", "建议在各乡镇设立未成年人保护联络点");
        let same = ("关于加强未成年人保护的建议", "各乡镇应设立未成年人保护联络站");
        let other = ("关于改进公益诉讼线索移送的建议", "建议与环保部门建立线索移送机制");
        let (high, words) = likeness(new, same);
        let (low, _) = likeness(new, other);
        assert!(high >= SIMILAR_MIN_PERMILLE, "{high}");
        assert!(low < SIMILAR_MIN_PERMILLE, "{low}");
        assert!(high > low * 2, "{high} vs {low}");
        assert!(words.iter().any(|w| w.contains("未成年人")), "{words:?}");
        assert!(!words.iter().any(|w| w == "未成"), "runs, not bigrams: {words:?}");
        assert!(words.iter().all(|w| !w.starts_with('于') && w.chars().count() >= 3), "{words:?}");
        // 「关于……的建议」 alone is nothing in common.
        assert_eq!(likeness(("关于甲乙的建议", ""), ("关于丙丁的建议", "")).0, 0);
        // The identical text is wholly alike; an empty one like nothing.
        assert_eq!(likeness(new, new).0, 1000);
        assert_eq!(likeness(("", ""), new).0, 0);
    }

    #[test]
    fn every_answer_template_names_a_class() {
        assert_eq!(unfilled_placeholders(ANSWER_TEMPLATES[1].text), ["【具体措施】", "【日期】"]);
        assert!(
            unfilled_placeholders("已于3月设立联络点【注：附件一】。").is_empty(),
            "other brackets are the author's"
        );
        for t in ANSWER_TEMPLATES {
            assert!(AnswerClass::parse(t.class).is_ok(), "{}", t.key);
            assert!(t.text.chars().count() <= 5000);
        }
    }
}
