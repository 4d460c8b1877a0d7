//! The account as an [`Aggregate`]: every command is decided for the administrator acting, at a moment.

use chrono::{DateTime, Utc};

use super::{Account, AccountCommand, AccountError, AccountEvent, NewAccount};
use crate::Aggregate;
use crate::aggregate::domain_event;
use crate::ids::UserId;

domain_event!(AccountEvent);

impl crate::DomainError for AccountError {
    fn code(&self) -> &'static str {
        AccountError::code(self)
    }
    /// A refusal naming a field of the input (the roles asked for, the department, the days) is the
    /// input's — except a deputy who already has an account, which conflicts with that account. The rest
    /// conflict with the account's state or the approval rules. (The app also tells apart the few that are
    /// about the caller: a deputy at the console, a person's token, an invalid activation.)
    fn is_input(&self) -> bool {
        self.field().is_some() && !matches!(self, Self::DeputyHasAccount(_))
    }
}

/// What opens an account: the account asked for, and the login of an account the deputy already has (the
/// caller looks it up), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAccount {
    /// The account asked for.
    pub new: NewAccount,
    /// The login of the deputy's existing account.
    pub deputy_account: Option<String>,
}

/// Who acts on an account, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acting {
    /// The administrator.
    pub by: UserId,
    /// The moment.
    pub now: DateTime<Utc>,
}

impl Aggregate for Account {
    const KIND: &'static str = "user";
    type Id = UserId;
    type Create = OpenAccount;
    type Command = AccountCommand;
    type Event = AccountEvent;
    type Error = AccountError;
    type Context<'a> = Acting;
    type CreateContext<'a> = Acting;

    fn create(_: &UserId, c: OpenAccount, cx: Acting) -> Result<Vec<AccountEvent>, AccountError> {
        Self::open(&c.new, cx.by, c.deputy_account.as_deref(), cx.now).map(|(_, events)| events)
    }
    fn created(id: &UserId, first: &AccountEvent) -> Option<Self> {
        let AccountEvent::Created { kind, .. } = first else { return None };
        let mut account = Account {
            id: *id,
            kind: *kind,
            roles: vec![],
            active: true,
            pending: None,
            deputy: None,
            department: None,
            grant: Default::default(),
            version: 0,
        };
        account.apply(first);
        Some(account)
    }
    fn decide(&self, c: AccountCommand, cx: Acting) -> Result<Vec<AccountEvent>, AccountError> {
        Account::decide(self, &c, cx.by, cx.now)
    }
    fn apply(&mut self, e: &AccountEvent) {
        Account::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
