//! Liaison means and services (C1, G3, C4 solicitations): the hotline log (a call may be filed as a
//! suggestion at once), liaison cards (numbered, printable, revocable), services to deputies, and
//! solicitations of opinions whose responses may become suggestions.

use askama::Template;
use liaison_core::access::Action;
use liaison_core::channels::*;
use liaison_core::ids::DeputyId;
use liaison_core::registry::{LongText, ShortText};
use liaison_core::suggestion::Source;
use liaison_core::{Aggregate, ValueError};
use liaison_store::RecordQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::input::{audience, long, short, word};
use crate::refs::signers;
use crate::runner::{Columns, RowEnv, Stored, json_err, snapshot};
use crate::suggestion::file_in;
use crate::{App, AppError, Principal};

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

/// A hotline call is written once; its status is where it was routed; its audit record is the call.
impl Stored for HotlineCall {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.deputy.iter().map(|d| d.deputy.to_string()).collect(),
            ..Columns::new(self.routed_to.code(), self.at.date())
        })
    }
    fn payload(&self, _: &CallEvent) -> Result<serde_json::Value, AppError> {
        snapshot(self)
    }
}

/// A liaison card is kept under its number; each audit record is the card after the change.
impl Stored for LiaisonCard {
    fn key(&self) -> String {
        self.number.clone()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            number: Some(self.number.clone()),
            deputies: vec![self.deputy.deputy.to_string()],
            ..Columns::new(if self.revoked.is_some() { "revoked" } else { "issued" }, self.issued_on)
        })
    }
    fn payload(&self, _: &CardEvent) -> Result<serde_json::Value, AppError> {
        snapshot(self)
    }
}

/// A service; each audit record is the service after the change.
impl Stored for Service {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: vec![self.deputy.deputy.to_string()],
            ..Columns::new(if self.resolved.is_some() { "resolved" } else { "open" }, self.opened_on)
        })
    }
    fn payload(&self, _: &ServiceEvent) -> Result<serde_json::Value, AppError> {
        snapshot(self)
    }
}

impl Stored for Solicitation {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.recipients.iter().map(ToString::to_string).collect(),
            ..Columns::new("sent", self.sent_on)
        })
    }
    /// A summary, as from the start: the title and how many it went to; who responded.
    fn payload(&self, e: &SolicitationEvent) -> Result<serde_json::Value, AppError> {
        Ok(match e {
            SolicitationEvent::Sent { .. } => {
                serde_json::json!({"title": self.title, "recipients": self.recipients.len()})
            }
            SolicitationEvent::Responded { deputy, .. } => serde_json::json!({ "deputy": deputy }),
        })
    }
}

impl App {
    /// Log a hotline call; a deputy's call routed to `suggestion` is filed at once (source 联络热线).
    pub async fn log_call(&self, p: &Principal, input: &CallInput) -> Result<HotlineCall, AppError> {
        p.require(Action::ManageLiaison)?;
        let caller = short("caller", &input.caller)?;
        let topic = long("topic", &input.topic)?;
        let route = word("route", &input.route, Route::parse)?;
        let (tenant, who) = (p.tenant.clone(), input.deputy.clone().filter(|d| !d.trim().is_empty()));
        self.change(p, None, move |run| {
            let deputy = match &who {
                Some(d) => signers(run.q(), &tenant, "deputy", std::slice::from_ref(d))?.pop(),
                None => None,
            };
            let reference = match (&deputy, route) {
                (Some(d), Route::Suggestion) => {
                    let title: String =
                        format!("热线反映：{}", topic.as_str().chars().take(40).collect::<String>());
                    let today = run.today();
                    let s = file_in(
                        run,
                        (short("title", &title)?, topic.clone(), Source::Hotline, today),
                        vec![d.clone()],
                    )?;
                    Some(format!("suggestion:{}", s.id))
                }
                _ => None,
            };
            let at = run.meta().at;
            let call = LogCall {
                at: chrono::SubsecRound::trunc_subsecs(liaison_core::dates::china_time(at), 0),
                deputy,
                caller,
                topic,
                routed_to: route,
                reference,
            };
            run.create(liaison_core::ids::CallId(crate::new_id()), call, ())
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
        let (tenant, who) = (p.tenant.clone(), input.deputy.clone());
        let (officer, telephone) = (input.officer.clone(), input.telephone.clone());
        self.change(p, None, move |run| {
            let deputy = signers(run.q(), &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            let org = run.q().organisation(&tenant)?;
            let cards: Vec<LiaisonCard> = run
                .q()
                .records(
                    &tenant,
                    "card",
                    &RecordQuery { deputy: Some(deputy.deputy.to_string()), ..RecordQuery::default() },
                )?
                .iter()
                .map(|r| serde_json::from_str(&r.data).map_err(json_err))
                .collect::<Result<_, _>>()?;
            let today = run.today();
            let year = chrono::Datelike::year(&today);
            // A refusal rolls the whole job back, the number taken with it.
            let n = run.tx().next_number(&tenant, &format!("card-{year}"))?;
            let number = liaison_core::ids::CardNumber(format!("LK-{year}-{n:04}"));
            let cx = IssueContext { org: &org, cards: &cards, today };
            run.create(number, IssueCard { deputy, officer, telephone }, cx)
        })
        .await
    }

    /// Revoke a liaison card.
    pub async fn revoke_card(
        &self,
        p: &Principal,
        number: &str,
        expected: Option<u64>,
        reason: &str,
    ) -> Result<LiaisonCard, AppError> {
        p.require(Action::ManageLiaison)?;
        let reason = short("reason", reason)?;
        let number = number.trim().to_owned();
        self.change(p, None, move |run| {
            let card: LiaisonCard = run.load(&number)?;
            let today = run.today();
            run.execute(card, expected, CardCommand::Revoke { reason }, today)
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
        let (tenant, who) = (p.tenant.clone(), input.deputy.clone());
        self.change(p, None, move |run| {
            let deputy = signers(run.q(), &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            let today = run.today();
            run.create(
                liaison_core::ids::ServiceId(crate::new_id()),
                OpenService { deputy, kind, description },
                today,
            )
        })
        .await
    }

    /// Resolve a service with its result, or record a delivery of a subscription (`delivery` set).
    pub async fn service_step(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        result_or_item: &str,
        delivery: bool,
    ) -> Result<Service, AppError> {
        p.require(Action::ManageLiaison)?;
        let command = if delivery {
            ServiceCommand::Deliver { item: short("item", result_or_item)? }
        } else {
            ServiceCommand::Resolve { result: long("result", result_or_item)? }
        };
        let id = id.trim().to_owned();
        self.change(p, None, move |run| {
            let s: Service = run.load(&id)?;
            let today = run.today();
            run.execute(s, expected, command, today)
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
        let (tenant, input) = (p.tenant.clone(), input.clone());
        self.change(p, None, move |run| {
            let recipients: Vec<DeputyId> = if input.scope.trim() == "chosen" {
                signers(run.q(), &tenant, "deputies", &input.deputies)?
                    .into_iter()
                    .map(|s| s.deputy)
                    .collect()
            } else {
                let a = audience(&input.scope, &input.values)?;
                run.q()
                    .current_deputy_refs(&tenant)?
                    .into_iter()
                    .filter(|d| {
                        let region = ShortText::parse(&d.region).ok();
                        let del = d.delegation.as_deref().and_then(|x| ShortText::parse(x).ok());
                        region.is_some_and(|r| a.includes(d.level, &r, del.as_ref()))
                    })
                    .map(|d| d.id)
                    .collect()
            };
            let today = run.today();
            let send = SendSolicitation { title, content, by_forum: input.by_forum, recipients };
            run.create(liaison_core::ids::SolicitationId(crate::new_id()), send, today)
        })
        .await
    }

    /// A recipient's response; with `as_suggestion` it is filed as a suggestion (source 来信 or 座谈会).
    pub async fn respond_solicitation(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        deputy: &str,
        text: &str,
        as_suggestion: bool,
    ) -> Result<Solicitation, AppError> {
        p.require(Action::ManageLiaison)?;
        let text = LongText::parse(text).map_err(|e| AppError::invalid("text", &e))?;
        let (tenant, id, who) = (p.tenant.clone(), id.trim().to_owned(), deputy.to_owned());
        self.change(p, None, move |run| {
            let s: Solicitation = run.load_seen(&id, expected)?;
            let d = signers(run.q(), &tenant, "deputy", &[who])?
                .pop()
                .ok_or_else(|| AppError::invalid("deputy", &ValueError::Required))?;
            // Check first, so a refused response files nothing.
            let probe = SolicitationCommand::Respond { deputy: d.deputy, text: text.clone(), became: None };
            s.decide(probe, ()).map_err(AppError::rule)?;
            let became = if as_suggestion {
                let title: String = format!("对“{}”的意见", s.title).chars().take(100).collect();
                let source = if s.by_forum { Source::Forum } else { Source::Letter };
                let today = run.today();
                let sug =
                    file_in(run, (short("title", &title)?, text.clone(), source, today), vec![d.clone()])?;
                Some(format!("suggestion:{}", sug.id))
            } else {
                None
            };
            run.execute(s, None, SolicitationCommand::Respond { deputy: d.deputy, text, became }, ())
        })
        .await
    }

    /// Solicitations.
    pub fn solicitations(&self, p: &Principal) -> Result<Vec<Solicitation>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, "solicitation", &RecordQuery::default())
    }
}
