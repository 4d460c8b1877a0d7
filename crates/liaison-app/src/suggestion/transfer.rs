//! The transfer to the competent procuratorate (转办, issue 20): a suggestion addressed to the wrong level
//! goes to the procuratorate of the same province that must handle it, in one transaction:
//!
//! 1. the tree decides that the target is another placed procuratorate of the same tree;
//! 2. each co-signer is found on the target's register (the same person by the deployment's duplicate
//!    keys: the ID number's lookup hash, else name and birth date …) or registered there from this
//!    register's record — the competent procuratorate must reach the deputy to handle and evaluate, as the
//!    paper file handed over would let it;
//! 3. the item is received and registered there with that procuratorate's next number, and records where
//!    it came from (`suggestion.transfer_received`, in the target's chain);
//! 4. here it becomes final (已转办, `suggestion.transferred`) and every co-signer is told.
//!
//! Each side then sees the other through the link alone ([`transfer_state`]): the number, status and
//! answer class there, and for the receiving side the history here ([`App::suggestion_history`]) — nothing
//! else of the other procuratorate is read.

use liaison_core::tenant::TenantTree;

use super::*;
use crate::registry::{deputy_keys, insert_registered};
use crate::tenants::tree_of;

/// The procuratorate named by `to` (its id or its exact name).
fn target_of<'t>(
    tree: &'t TenantTree,
    from: &TenantId,
    to: &str,
) -> Result<&'t liaison_core::tenant::Tenant, AppError> {
    let to = to.trim();
    if to.is_empty() {
        return Err(AppError::invalid("to", &ValueError::Required));
    }
    // By name when one procuratorate has it (names repeat below different cities: then by id only).
    let named: Vec<TenantId> =
        tree.walk().into_iter().filter(|(_, t)| t.name == to).map(|(_, t)| t.id.clone()).collect();
    let id = match named.as_slice() {
        [id] => id.clone(),
        [] => TenantId::parse(to).map_err(|e| AppError::invalid("to", &e))?,
        _ => {
            let several = ValueError::Mismatch("one procuratorate's name: several have it, give the id");
            return Err(AppError::invalid("to", &several));
        }
    };
    tree.check_transfer(from, &id).map_err(|e| match e {
        liaison_core::tenant::TenantError::Unknown(_) => {
            AppError::NotFound { what: "procuratorate", id: to.into() }
        }
        e => AppError::rule(e),
    })
}

/// Transfer `s` (loaded at `expected`) inside the transaction; the item here, now final.
pub(crate) fn transfer_in(
    run: &mut Runner<'_>,
    keys: &liaison_store::Keys,
    s: Suggestion,
    expected: Option<u64>,
    (to, reason, notice): (String, String, String),
) -> Result<Suggestion, AppError> {
    let mut f = Fields::default();
    let reason = f.take("reason", LongText::parse(&reason));
    let notice = f.take("notice", LongText::parse(&notice));
    f.done()?;
    let (Some(reason), Some(notice)) = (reason, notice) else {
        return Err(AppError::Invalid(vec![]));
    };
    let from = run.tenant().clone();
    let tree = tree_of(run.q())?;
    let target = target_of(&tree, &from, &to)?.clone();
    let here = tree.get(&from).map(|t| t.name.clone()).unwrap_or_else(|| from.to_string());
    // Refused here first (an answered or final item), before anything is written there.
    let probe = SuggestionCommand::Transfer {
        to: target.id.clone(),
        to_name: short("to", &target.name)?,
        reason: reason.clone(),
        notice: notice.clone(),
        received_as: SuggestionId(crate::new_id()),
    };
    let policy = run.policy()?.clone();
    let cx = Ctx { today: run.today(), policy: &policy, calendar: run.calendar() };
    crate::runner::expect_version(SUGGESTION, &s.id.to_string(), s.version, expected)?;
    s.decide(probe, cx).map_err(AppError::rule)?;

    // The co-signers on the target's register.
    let meta = run.meta().clone();
    let mut proposers = Vec::with_capacity(s.proposers.len());
    for signer in &s.proposers {
        let d = run
            .q()
            .deputy(&from, signer.deputy)?
            .ok_or_else(|| AppError::NotFound { what: "deputy", id: signer.deputy.to_string() })?;
        let k = deputy_keys(keys, &d.data);
        let found = liaison_core::registry::same_person(
            k.id_hash.as_deref(),
            &run.q().key_matches(&target.id, &k.keys)?,
        );
        let there = match found {
            Some((id, _)) => id,
            None => insert_registered(run.tx(), &target.id, &meta, d.data.clone(), &k, None)?.id,
        };
        proposers.push(Signer { deputy: there, ..signer.clone() });
    }

    // Received and registered there, with where it came from.
    let origin = TransferOrigin {
        from: from.clone(),
        from_name: short("from", &here)?,
        suggestion: s.id,
        number: s.number,
        reason: reason.clone(),
        on: run.today(),
    };
    let received_as = {
        let mut there = run.in_tenant(&target.id);
        let item = (s.title.clone(), s.content.clone(), s.source, s.received_on);
        let made = file_in(&mut there, item, proposers)?;
        run_command(&mut there, made, None, SuggestionCommand::ReceiveTransfer { origin })?.id
    };

    // Final here; the deputies told (the messages in the same transaction).
    let command = SuggestionCommand::Transfer {
        to: target.id.clone(),
        to_name: short("to", &target.name)?,
        reason,
        notice,
        received_as,
    };
    run_command(run, s, expected, command)
}

fn short(field: &str, s: &str) -> Result<ShortText, AppError> {
    ShortText::parse(s).map_err(|e| AppError::invalid(field, &e))
}

/// The other side of a transfer, read through the link the transfer left: `None` when `s` took part in
/// none.
pub(crate) fn transfer_state(q: &dyn Queries, s: &Suggestion) -> Result<Option<TransferState>, AppError> {
    let (direction, tenant, name, id, reason, on) = match (&s.transfer, &s.transferred_from) {
        (Some(t), _) => ("out", &t.to, t.to_name.as_str(), t.received_as, &t.reason, t.on),
        (None, Some(o)) => ("in", &o.from, o.from_name.as_str(), o.suggestion, &o.reason, o.on),
        (None, None) => return Ok(None),
    };
    // A damaged record there does not hide the link here: its number and status are left out.
    let other =
        q.record(tenant, SUGGESTION, &id.to_string())?.as_ref().and_then(|r| parse_suggestion(r).ok());
    // Where it came from, it is final (已转办): its number is the one worth showing, its status is known.
    let shown_status = other.as_ref().filter(|_| direction == "out").map(|o| o.status);
    Ok(Some(TransferState {
        direction: direction.into(),
        procuratorate: name.to_owned(),
        procuratorate_id: tenant.to_string(),
        suggestion: id.0,
        number: other.as_ref().and_then(|o| o.number).map(|n| n.to_string()),
        status: shown_status.map(|st| st.code().to_owned()),
        status_zh: shown_status.map(|st| st.zh().to_owned()),
        answer_class: other
            .as_ref()
            .filter(|_| direction == "out")
            .and_then(|o| o.first_answer())
            .map(|a| a.class.code().to_owned()),
        reason: reason.as_str().to_owned(),
        on,
    }))
}

impl App {
    /// The procuratorates an item of the caller's may be transferred to (转办): every other placed
    /// procuratorate of the same tree, in the tree's order, by name. The liaison office only.
    pub fn transfer_targets(&self, p: &Principal) -> Result<Vec<crate::TenantView>, AppError> {
        p.require(Action::FileSuggestion)?;
        let tree = self.read(tree_of)?;
        let Some(root) = tree.root_of(&p.tenant).map(|t| t.id.clone()) else {
            return Ok(Vec::new());
        };
        Ok(tree
            .subtree(&root)
            .into_iter()
            .filter(|(_, t)| tree.check_transfer(&p.tenant, &t.id).is_ok())
            .map(|(depth, t)| crate::TenantView::of(&tree, t, depth))
            .collect())
    }
}
