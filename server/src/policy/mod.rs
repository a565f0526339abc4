//! Who may do what, decided in one place: [`decide`] takes the person acting, the action
//! and what it acts on (an organisation, a campaign's state, a submission's state, the
//! deadline) and allows it or says why not. Handlers call it before any change; a test
//! walks the whole matrix of roles, scopes, states and actions.

use crate::domain::campaigns::CampaignState;
use crate::domain::submissions::SubmissionState;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

/// A role, granted to an account on an organisation and everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Manages accounts, roles and the organisation tree; reads the audit log.
    Administrator,
    /// Runs campaigns (the ministry's digital-transformation office): opens, extends,
    /// closes, finalises and publishes; sees every submission and the live ranking.
    CampaignManager,
    /// Verifies submitted values, indicator by indicator (possibly only some pillars).
    Reviewer,
    /// Fills in a unit's self-assessment.
    UnitEditor,
    /// Fills in and submits (signs off) a unit's self-assessment.
    UnitHead,
    /// Reads submitted data, results and the audit log; changes nothing.
    Viewer,
}

impl Role {
    /// Every role, for listings and the policy's test.
    pub const ALL: [Role; 6] =
        [Role::Administrator, Role::CampaignManager, Role::Reviewer, Role::UnitEditor, Role::UnitHead, Role::Viewer];

    /// The name stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::CampaignManager => "campaign-manager",
            Role::Reviewer => "reviewer",
            Role::UnitEditor => "unit-editor",
            Role::UnitHead => "unit-head",
            Role::Viewer => "viewer",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether the role fills in a unit's own self-assessment.
    fn is_unit_role(self) -> bool {
        matches!(self, Role::UnitEditor | Role::UnitHead)
    }
}

/// One role on one subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The organisation's path (`/1/4/`): the grant covers every path it prefixes.
    pub org_path: String,
    /// For a reviewer limited to some pillars: their node ids.
    pub pillars: Option<Vec<String>>,
}

impl Grant {
    /// Whether the grant is on a root organisation.
    pub fn is_on_root(&self) -> bool {
        self.org_path.matches('/').count() == 2
    }

    /// Whether the grant covers the organisation at `org_path`: its own subtree, or, for an
    /// administrator on a root organisation, the whole installation (every tree), so that
    /// the trees they create stay theirs to manage.
    fn covers(&self, org_path: &str) -> bool {
        org_path.starts_with(&self.org_path) || (self.role == Role::Administrator && self.is_on_root())
    }
}

/// The person acting, as the session found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Their account.
    pub account_id: i64,
    /// Their login, for the audit log.
    pub login: String,
    /// The path of the unit they work in, if any.
    pub home_org_path: Option<String>,
    /// Their roles.
    pub grants: Vec<Grant>,
}

impl Actor {
    fn grants_on<'a>(&'a self, org_path: &'a str) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.iter().filter(move |grant| grant.covers(org_path))
    }

    fn has(&self, role: Role, org_path: &str) -> bool {
        self.grants_on(org_path).any(|grant| grant.role == role)
    }

    /// Whether the actor holds `role` anywhere.
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|grant| grant.role == role)
    }

    /// Whether `org_path` is the actor's own unit (where they work or fill in).
    fn is_own_unit(&self, org_path: &str) -> bool {
        self.home_org_path.as_deref() == Some(org_path)
            || self.grants_on(org_path).any(|grant| grant.role.is_unit_role())
    }
}

/// What someone wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create accounts, grant and withdraw roles.
    ManageAccounts,
    /// Create, edit and import organisations.
    ManageOrgs,
    /// Read or export the audit log.
    ReadAudit,
    /// Create, edit, open, extend, close, finalise and publish a campaign.
    ManageCampaign,
    /// See a campaign and who has submitted.
    ViewCampaign,
    /// See the live ranking and download the data and results.
    ViewResults,
    /// Read a unit's submission, its revisions and its evidence.
    ReadSubmission,
    /// Save a draft or upload evidence.
    EditSubmission,
    /// Submit (sign off) the unit's self-assessment.
    Submit,
    /// Decide on one indicator's value (accept, adjust, ask for information).
    Review,
    /// Ask the unit for changes, or verify the whole submission.
    DecideSubmission,
    /// Lock a verified submission.
    Lock,
    /// Reopen a verified or locked submission (with a reason).
    Reopen,
}

impl Action {
    /// Every action, for the policy's test.
    pub const ALL: [Action; 13] = [
        Action::ManageAccounts,
        Action::ManageOrgs,
        Action::ReadAudit,
        Action::ManageCampaign,
        Action::ViewCampaign,
        Action::ViewResults,
        Action::ReadSubmission,
        Action::EditSubmission,
        Action::Submit,
        Action::Review,
        Action::DecideSubmission,
        Action::Lock,
        Action::Reopen,
    ];
}

/// What an action is done to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    /// The organisation: the submission's unit, the campaign's owner, the organisation
    /// managed.
    pub org_path: &'a str,
    /// The campaign's state, for campaign and submission actions.
    pub campaign: Option<CampaignState>,
    /// The submission's state, for submission actions.
    pub submission: Option<SubmissionState>,
    /// Whether the unit's deadline (its extension included) has passed.
    pub past_deadline: bool,
    /// The pillar (top-level node) of the indicator reviewed.
    pub pillar: Option<&'a str>,
}

/// Why an action is refused: the person's roles (403), or the state of things (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// No role of the person allows it on this organisation.
    #[error("your roles do not allow this here")]
    NoRole,
    /// Reviewers never review the unit they work in or fill in for.
    #[error("a reviewer never reviews their own unit")]
    OwnUnit,
    /// The reviewer is limited to other pillars.
    #[error("this indicator is outside the pillars you review")]
    OtherPillar,
    /// The campaign is still being prepared.
    #[error("the campaign is not open yet")]
    NotOpen,
    /// The campaign is closed.
    #[error("the campaign is closed")]
    Closed,
    /// The campaign's results are final.
    #[error("the campaign's results are final")]
    Finalised,
    /// The deadline passed and the unit has no extension.
    #[error("the deadline has passed and the unit has no extension")]
    DeadlinePassed,
    /// Submitted: it waits for review and cannot be changed meanwhile.
    #[error("the self-assessment was submitted: it waits for review")]
    Submitted,
    /// Not submitted: there is nothing to review yet.
    #[error("the self-assessment has not been submitted")]
    NotSubmitted,
    /// Nothing has been saved yet.
    #[error("nothing has been saved yet")]
    Empty,
    /// Verified: only a campaign manager can reopen it.
    #[error("the self-assessment was verified: a campaign manager can reopen it")]
    Verified,
    /// Locked: only a campaign manager can reopen it.
    #[error("the self-assessment is locked: a campaign manager can reopen it")]
    Locked,
    /// Only a verified submission can be locked.
    #[error("only a verified self-assessment can be locked")]
    NotVerified,
}

impl Refusal {
    /// 403 for a question of roles, 409 for one of state.
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::NoRole | Refusal::OwnUnit | Refusal::OtherPillar => StatusCode::FORBIDDEN,
            _ => StatusCode::CONFLICT,
        }
    }

    /// A stable code for clients.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoRole => "forbidden",
            Refusal::OwnUnit => "own-unit",
            Refusal::OtherPillar => "other-pillar",
            Refusal::NotOpen => "not-open",
            Refusal::Closed => "closed",
            Refusal::Finalised => "finalised",
            Refusal::DeadlinePassed => "deadline-passed",
            Refusal::Submitted => "submitted",
            Refusal::NotSubmitted => "not-submitted",
            Refusal::Empty => "empty",
            Refusal::Verified => "verified",
            Refusal::Locked => "locked",
            Refusal::NotVerified => "not-verified",
        }
    }

    /// The reason in Vietnamese.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Refusal::NoRole => "Vai trò của bạn không cho phép thao tác này ở đây",
            Refusal::OwnUnit => "Người thẩm định không thẩm định đơn vị của chính mình",
            Refusal::OtherPillar => "Chỉ số này nằm ngoài các trụ cột bạn được giao thẩm định",
            Refusal::NotOpen => "Đợt đánh giá chưa mở",
            Refusal::Closed => "Đợt đánh giá đã đóng",
            Refusal::Finalised => "Kết quả của đợt đánh giá đã được chốt",
            Refusal::DeadlinePassed => "Đã quá hạn nộp và đơn vị không được gia hạn",
            Refusal::Submitted => "Bản tự đánh giá đã nộp và đang chờ thẩm định",
            Refusal::NotSubmitted => "Bản tự đánh giá chưa được nộp",
            Refusal::Empty => "Chưa có gì được lưu",
            Refusal::Verified => "Bản tự đánh giá đã được xác nhận: chỉ cán bộ quản lý đợt đánh giá mới mở lại được",
            Refusal::Locked => "Bản tự đánh giá đã bị khóa: chỉ cán bộ quản lý đợt đánh giá mới mở lại được",
            Refusal::NotVerified => "Chỉ khóa được bản tự đánh giá đã xác nhận",
        }
    }
}

/// Whether `actor` may do `action` to `subject`: first their roles on its organisation
/// (403), then the state of the campaign, the submission and the deadline (409).
pub fn decide(actor: &Actor, action: Action, subject: &Subject) -> Result<(), Refusal> {
    allowed_by_role(actor, action, subject)?;
    allowed_by_state(action, subject)
}

fn allowed_by_role(actor: &Actor, action: Action, subject: &Subject) -> Result<(), Refusal> {
    let path = subject.org_path;
    let has = |role| actor.has(role, path);
    let submitted_or_later = subject.submission.is_some_and(SubmissionState::is_submitted_or_later);
    let allowed = match action {
        Action::ManageAccounts | Action::ManageOrgs => has(Role::Administrator),
        Action::ReadAudit => has(Role::Administrator) || has(Role::CampaignManager) || has(Role::Viewer),
        Action::ManageCampaign | Action::Lock | Action::Reopen => has(Role::CampaignManager),
        // A campaign still in preparation is its managers' only.
        Action::ViewCampaign => actor.grants_on(path).any(|grant| {
            grant.role == Role::CampaignManager || subject.campaign.is_some_and(|state| state != CampaignState::Draft)
        }),
        Action::ViewResults => has(Role::CampaignManager) || has(Role::Viewer),
        // A unit's draft is its own: reviewers and viewers see it once submitted.
        Action::ReadSubmission => {
            has(Role::CampaignManager)
                || has(Role::UnitEditor)
                || has(Role::UnitHead)
                || ((has(Role::Reviewer) || has(Role::Viewer)) && submitted_or_later)
        }
        Action::EditSubmission => has(Role::UnitEditor) || has(Role::UnitHead),
        Action::Submit => has(Role::UnitHead),
        Action::Review | Action::DecideSubmission => {
            if !has(Role::Reviewer) {
                return Err(Refusal::NoRole);
            }
            if actor.is_own_unit(path) {
                return Err(Refusal::OwnUnit);
            }
            if let Some(pillar) = subject.pillar {
                let covers_pillar = actor.grants_on(path).any(|grant| {
                    grant.role == Role::Reviewer
                        && grant.pillars.as_ref().is_none_or(|pillars| pillars.iter().any(|p| p == pillar))
                });
                if !covers_pillar {
                    return Err(Refusal::OtherPillar);
                }
            }
            true
        }
    };
    if allowed { Ok(()) } else { Err(Refusal::NoRole) }
}

fn allowed_by_state(action: Action, subject: &Subject) -> Result<(), Refusal> {
    use CampaignState as Campaign;
    use SubmissionState as State;
    let campaign = subject.campaign;
    let submission = subject.submission;
    match action {
        Action::EditSubmission | Action::Submit => {
            match campaign {
                Some(Campaign::Open) => {}
                Some(Campaign::Draft) => return Err(Refusal::NotOpen),
                Some(Campaign::Closed) => return Err(Refusal::Closed),
                Some(Campaign::Finalised | Campaign::Published) => return Err(Refusal::Finalised),
                None => return Err(Refusal::NotOpen),
            }
            match submission {
                Some(State::Submitted) => return Err(Refusal::Submitted),
                Some(State::Verified) => return Err(Refusal::Verified),
                Some(State::Locked) => return Err(Refusal::Locked),
                Some(State::NotStarted) | None if action == Action::Submit => return Err(Refusal::Empty),
                _ => {}
            }
            if subject.past_deadline {
                return Err(Refusal::DeadlinePassed);
            }
            Ok(())
        }
        Action::Review | Action::DecideSubmission | Action::Lock | Action::Reopen => {
            match campaign {
                Some(Campaign::Open | Campaign::Closed) => {}
                Some(Campaign::Draft) | None => return Err(Refusal::NotOpen),
                Some(Campaign::Finalised | Campaign::Published) => return Err(Refusal::Finalised),
            }
            match (action, submission) {
                (Action::Review | Action::DecideSubmission, Some(State::Submitted)) => Ok(()),
                (Action::Review | Action::DecideSubmission, Some(State::Verified)) => Err(Refusal::Verified),
                (Action::Review | Action::DecideSubmission, Some(State::Locked)) => Err(Refusal::Locked),
                (Action::Review | Action::DecideSubmission, _) => Err(Refusal::NotSubmitted),
                (Action::Lock, Some(State::Verified)) => Ok(()),
                (Action::Lock, Some(State::Locked)) => Err(Refusal::Locked),
                (Action::Lock, _) => Err(Refusal::NotVerified),
                (_, Some(State::Verified | State::Locked)) => Ok(()),
                _ => Err(Refusal::NotVerified),
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
