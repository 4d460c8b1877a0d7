//! Liaison means and services (C1, G3, C4 solicitations): the hotline log (a call may be filed as a
//! suggestion at once), liaison cards (numbered, printable, revocable), services to deputies, and
//! solicitations of opinions whose responses may become suggestions.

use askama::Template;
use liaison_core::ValueError;
use liaison_core::access::Action;
use liaison_core::channels::*;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{LongText, ShortText};
use liaison_core::suggestion::Source;
use liaison_store::{RecordQuery, RecordRow, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::suggestion::{audience, file_in, json_err, load_policy, long, short, signers, word};
use crate::{App, AppError, Principal, record};

/// A hotline call, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    /// The deputy's id, when the caller is on the register.
    #[serde(default)]
    pub deputy: Option<String>,
    /// The caller's name as given.
    pub caller: String,
    /// The topic.
    pub topic: String,
    /// suggestion / appointment / service / petition / other. `suggestion` with a deputy files it now.
    pub route: String,
}

/// A liaison card to issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardInput {
    /// The deputy's id.
    pub deputy: String,
    /// The officer to contact: an active officer of the organisation, by id or name.
    pub officer: String,
    /// The office's telephone: a mobile number or a landline (`0591-12345678`).
    pub telephone: String,
}

/// A service to open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// The deputy's id.
    pub deputy: String,
    /// home_visit / work_visit / practical_help / difficulty / subscription.
    pub kind: String,
    /// Details.
    pub description: String,
}

/// A solicitation to send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolicitationInput {
    /// Title.
    pub title: String,
    /// What is asked.
    pub content: String,
    /// At a forum (true) or by letter.
    #[serde(default)]
    pub by_forum: bool,
    /// all / level / region / delegation, or `chosen` with `deputies`.
    pub scope: String,
    /// Values of the scope.
    #[serde(default)]
    pub values: Vec<String>,
    /// Chosen deputies.
    #[serde(default)]
    pub deputies: Vec<String>,
}

#[derive(Template)]
#[template(path = "card.html")]
struct CardPage<'a> {
    card: &'a LiaisonCard,
    level: &'a str,
    procuratorate: &'a str,
}

type At = chrono::DateTime<chrono::Utc>;

/// A hotline call's row (written once; its status is where it was routed).
pub(crate) fn call_row(call: &HotlineCall, at: At) -> Result<RecordRow, AppError> {
    let deputies = call.deputy.iter().map(|d| d.deputy.to_string()).collect();
    let day = call.at.date();
    Ok(RecordRow::plain(
        "call",
        &call.id.to_string(),
        1,
        call.routed_to.code(),
        day,
        serde_json::to_string(call).map_err(json_err)?,
        at,
    )
    .with_deputies(deputies))
}

/// A liaison card's row at `version` (one per event); its id is its number.
pub(crate) fn card_row(card: &LiaisonCard, version: u64, at: At) -> Result<RecordRow, AppError> {
    let status = if card.revoked.is_some() { "revoked" } else { "issued" };
    let data = serde_json::to_string(card).map_err(json_err)?;
    Ok(RecordRow::plain("card", &card.number, version, status, card.issued_on, data, at)
        .with_deputies(vec![card.deputy.deputy.to_string()])
        .with_number(Some(card.number.clone())))
}

/// A service's row at `version` (one per event).
pub(crate) fn service_row(s: &Service, version: u64, at: At) -> Result<RecordRow, AppError> {
    let status = if s.resolved.is_some() { "resolved" } else { "open" };
    let data = serde_json::to_string(s).map_err(json_err)?;
    Ok(RecordRow::plain("service", &s.id.to_string(), version, status, s.opened_on, data, at)
        .with_deputies(vec![s.deputy.deputy.to_string()]))
}

/// A solicitation's row at `version` (one per event).
pub(crate) fn solicitation_row(s: &Solicitation, version: u64, at: At) -> Result<RecordRow, AppError> {
    let deputies = s.recipients.iter().map(ToString::to_string).collect();
    let data = serde_json::to_string(s).map_err(json_err)?;
    Ok(RecordRow::plain("solicitation", &s.id.to_string(), version, "sent", s.sent_on, data, at)
        .with_deputies(deputies))
}

impl App {
    /// Log a hotline call; a deputy's call routed to `suggestion` is filed at once (source 联络热线).
    pub async fn log_call(&self, p: &Principal, input: &CallInput) -> Result<HotlineCall, AppError> {
        p.require(Action::ManageLiaison)?;
        let caller = short("caller", &input.caller)?;
        let topic = long("topic", &input.topic)?;
        let route = word("route", &input.route, Route::parse)?;
        let meta = self.meta(p, None);
        let (tenant, who, cal) =
            (p.tenant.clone(), input.deputy.clone().filter(|d| !d.trim().is_empty()), self.calendar.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let deputy = match &who {
                Some(d) => signers(tx, &tenant, "deputy", std::slice::from_ref(d))?.pop(),
                None => None,
            };
            let reference = match (&deputy, route) {
                (Some(d), Route::Suggestion) => {
                    let (policy, _) = load_policy(tx, &tenant)?;
                    let title: String =
                        format!("热线反映：{}", topic.as_str().chars().take(40).collect::<String>());
                    let s = file_in(
                        tx,
                        &tenant,
                        &meta,
                        &cal,
                        &policy,
                        (short("title", &title)?, topic.clone(), Source::Hotline, meta.today()),
                        vec![d.clone()],
                    )?;
                    Some(format!("suggestion:{}", s.id))
                }
                _ => None,
            };
            let call = HotlineCall {
                id: liaison_core::ids::CallId(crate::new_id()),
                at: chrono::SubsecRound::trunc_subsecs((meta.at + chrono::Duration::hours(8)).naive_utc(), 0),
                deputy,
                caller,
                topic,
                routed_to: route,
                reference,
            };
            tx.insert_record(&tenant, &call_row(&call, meta.at)?)?;
            tx.append(&tenant, record(&meta, "hotline.call_logged", "call", call.id, &call))?;
            Ok(call)
        })
        .await
    }

    /// The hotline log.
    pub fn calls(&self, p: &Principal) -> Result<Vec<HotlineCall>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, "call", &RecordQuery::default())
    }

    /// Issue a liaison card (numbered `LK-2026-0001`) to a deputy who holds no active card, naming an
    /// active officer of the organisation and a telephone number.
    pub async fn issue_card(&self, p: &Principal, input: &CardInput) -> Result<LiaisonCard, AppError> {
        p.require(Action::ManageLiaison)?;
        let meta = self.meta(p, None);
        let (tenant, who) = (p.tenant.clone(), input.deputy.clone());
        let (officer, telephone) = (input.officer.clone(), input.telephone.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let deputy = signers(tx, &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            let org = tx.organisation(&tenant)?;
            let held: Vec<LiaisonCard> = tx
                .records(
                    &tenant,
                    "card",
                    &RecordQuery { deputy: Some(deputy.deputy.to_string()), ..RecordQuery::default() },
                )?
                .iter()
                .map(|r| serde_json::from_str(&r.data).map_err(json_err))
                .collect::<Result<_, _>>()?;
            let year = chrono::Datelike::year(&meta.today());
            // A refusal rolls the whole job back, the number taken with it.
            let n = tx.next_number(&tenant, &format!("card-{year}"))?;
            let card = LiaisonCard::issue(
                format!("LK-{year}-{n:04}"),
                deputy,
                (&officer, &telephone),
                &org,
                &held,
                meta.today(),
            )
            .map_err(AppError::Channel)?;
            tx.insert_record(&tenant, &card_row(&card, 1, meta.at)?)?;
            tx.append(&tenant, record(&meta, "card.issued", "card", card.number.clone(), &card))?;
            Ok(card)
        })
        .await
    }

    /// Revoke a liaison card.
    pub async fn revoke_card(
        &self,
        p: &Principal,
        number: &str,
        reason: &str,
    ) -> Result<LiaisonCard, AppError> {
        p.require(Action::ManageLiaison)?;
        let reason = short("reason", reason)?;
        let meta = self.meta(p, None);
        let (tenant, number) = (p.tenant.clone(), number.trim().to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let r = tx
                .record(&tenant, "card", &number)?
                .ok_or_else(|| AppError::NotFound { what: "card", id: number.clone() })?;
            let card: LiaisonCard = serde_json::from_str(&r.data).map_err(json_err)?;
            let card = card.revoke(meta.today(), reason).map_err(AppError::Channel)?;
            tx.update_record(&tenant, &card_row(&card, r.version + 1, meta.at)?, r.version)?;
            tx.append(&tenant, record(&meta, "card.revoked", "card", card.number.clone(), &card))?;
            Ok(card)
        })
        .await
    }

    /// Liaison cards.
    pub fn cards(&self, p: &Principal) -> Result<Vec<LiaisonCard>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, "card", &RecordQuery::default())
    }

    /// A card as a printable page (HTML, card size).
    pub fn card_page(&self, p: &Principal, number: &str) -> Result<String, AppError> {
        p.require(Action::ReadCoverage)?;
        let r = self
            .read(|q| q.record(&p.tenant, "card", number.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "card", id: number.into() })?;
        let card: LiaisonCard = serde_json::from_str(&r.data).map_err(json_err)?;
        let name = self.read(|q| q.tenant(&p.tenant))?.unwrap_or_default();
        CardPage { card: &card, level: card.deputy.level.zh(), procuratorate: &name }
            .render()
            .map_err(|e| AppError::Store(liaison_store::StoreError::Corrupt(format!("card template: {e}"))))
    }

    /// Open a service to a deputy.
    pub async fn open_service(&self, p: &Principal, input: &ServiceInput) -> Result<Service, AppError> {
        p.require(Action::ManageLiaison)?;
        let kind = word("kind", &input.kind, ServiceKind::parse)?;
        let description = long("description", &input.description)?;
        let meta = self.meta(p, None);
        let (tenant, who) = (p.tenant.clone(), input.deputy.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let deputy = signers(tx, &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            // A visit is done when it is recorded; problems, support and subscriptions stay open.
            let visit = matches!(kind, ServiceKind::HomeVisit | ServiceKind::WorkVisit);
            let s = Service {
                id: liaison_core::ids::ServiceId(crate::new_id()),
                version: 1,
                deputy,
                kind,
                resolved: visit.then(|| (meta.today(), description.clone())),
                description,
                opened_on: meta.today(),
                deliveries: vec![],
            };
            tx.insert_record(&tenant, &service_row(&s, 1, meta.at)?)?;
            tx.append(&tenant, record(&meta, "service.opened", "service", s.id, &s))?;
            Ok(s)
        })
        .await
    }

    /// Resolve a service with its result, or record a delivery of a subscription (`delivery` set).
    pub async fn service_step(
        &self,
        p: &Principal,
        id: &str,
        result_or_item: &str,
        delivery: bool,
    ) -> Result<Service, AppError> {
        p.require(Action::ManageLiaison)?;
        let meta = self.meta(p, None);
        let (tenant, id, text) = (p.tenant.clone(), id.trim().to_owned(), result_or_item.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let r = tx
                .record(&tenant, "service", &id)?
                .ok_or_else(|| AppError::NotFound { what: "service", id: id.clone() })?;
            let s: Service = serde_json::from_str(&r.data).map_err(json_err)?;
            let (s, kind) = if delivery {
                (
                    s.deliver(meta.today(), short("item", &text)?).map_err(AppError::Channel)?,
                    "service.delivered",
                )
            } else {
                (
                    s.resolve(meta.today(), long("result", &text)?).map_err(AppError::Channel)?,
                    "service.resolved",
                )
            };
            tx.update_record(&tenant, &service_row(&s, r.version + 1, meta.at)?, r.version)?;
            tx.append(&tenant, record(&meta, kind, "service", s.id, &s))?;
            Ok(s)
        })
        .await
    }

    /// Services (open ones only with `open_only`).
    pub fn services(&self, p: &Principal, open_only: bool) -> Result<Vec<Service>, AppError> {
        p.require(Action::ReadCoverage)?;
        let q = RecordQuery {
            statuses: if open_only { vec!["open".into()] } else { vec![] },
            ..RecordQuery::default()
        };
        self.decoded(p, "service", &q)
    }

    /// Send a solicitation of opinions to an audience.
    pub async fn send_solicitation(
        &self,
        p: &Principal,
        input: &SolicitationInput,
    ) -> Result<Solicitation, AppError> {
        p.require(Action::ManageLiaison)?;
        let title = short("title", &input.title)?;
        let content = long("content", &input.content)?;
        let meta = self.meta(p, None);
        let (tenant, input) = (p.tenant.clone(), input.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let recipients: Vec<DeputyId> = if input.scope.trim() == "chosen" {
                signers(tx, &tenant, "deputies", &input.deputies)?.into_iter().map(|s| s.deputy).collect()
            } else {
                let a = audience(&input.scope, &input.values)?;
                tx.current_deputy_refs(&tenant)?
                    .into_iter()
                    .filter(|d| {
                        let region = ShortText::parse(&d.region).ok();
                        let del = d.delegation.as_deref().and_then(|x| ShortText::parse(x).ok());
                        region.is_some_and(|r| a.includes(d.level, &r, del.as_ref()))
                    })
                    .map(|d| d.id)
                    .collect()
            };
            if recipients.is_empty() {
                return Err(AppError::Channel(ChannelError::NoRecipients));
            }
            let s = Solicitation {
                id: liaison_core::ids::SolicitationId(crate::new_id()),
                version: 1,
                title,
                content,
                by_forum: input.by_forum,
                recipients,
                sent_on: meta.today(),
                responses: vec![],
            };
            tx.insert_record(&tenant, &solicitation_row(&s, 1, meta.at)?)?;
            tx.append(
                &tenant,
                record(
                    &meta,
                    "solicitation.sent",
                    "solicitation",
                    s.id,
                    serde_json::json!({"title": s.title, "recipients": s.recipients.len()}),
                ),
            )?;
            Ok(s)
        })
        .await
    }

    /// A recipient's response; with `as_suggestion` it is filed as a suggestion (source 来信 or 座谈会).
    pub async fn respond_solicitation(
        &self,
        p: &Principal,
        id: &str,
        deputy: &str,
        text: &str,
        as_suggestion: bool,
    ) -> Result<Solicitation, AppError> {
        p.require(Action::ManageLiaison)?;
        let text = LongText::parse(text).map_err(|e| AppError::invalid("text", &e))?;
        let meta = self.meta(p, None);
        let (tenant, id, who, cal) =
            (p.tenant.clone(), id.trim().to_owned(), deputy.to_owned(), self.calendar.clone());
        self.write(move |tx: &mut dyn WriteTx| {
            let r = tx
                .record(&tenant, "solicitation", &id)?
                .ok_or_else(|| AppError::NotFound { what: "solicitation", id: id.clone() })?;
            let s: Solicitation = serde_json::from_str(&r.data).map_err(json_err)?;
            let d = signers(tx, &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            // Check first, so a refused response files nothing.
            s.respond(d.deputy, text.clone(), None).map_err(AppError::Channel)?;
            let became = if as_suggestion {
                let (policy, _) = load_policy(tx, &tenant)?;
                let title: String = format!("对“{}”的意见", s.title).chars().take(100).collect();
                let source = if s.by_forum { Source::Forum } else { Source::Letter };
                let sug = file_in(
                    tx,
                    &tenant,
                    &meta,
                    &cal,
                    &policy,
                    (short("title", &title)?, text.clone(), source, meta.today()),
                    vec![d.clone()],
                )?;
                Some(format!("suggestion:{}", sug.id))
            } else {
                None
            };
            let s = s.respond(d.deputy, text, became).map_err(AppError::Channel)?;
            tx.update_record(&tenant, &solicitation_row(&s, r.version + 1, meta.at)?, r.version)?;
            tx.append(
                &tenant,
                record(
                    &meta,
                    "solicitation.responded",
                    "solicitation",
                    s.id,
                    serde_json::json!({"deputy": d.deputy}),
                ),
            )?;
            Ok(s)
        })
        .await
    }

    /// Solicitations.
    pub fn solicitations(&self, p: &Principal) -> Result<Vec<Solicitation>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, "solicitation", &RecordQuery::default())
    }
}
