//! The whole matrix: every actor (each role, on the root or on a unit, and the reviewers
//! with a home unit or limited pillars) x every unit x every campaign state x every
//! submission state x deadline passed or not x every action. The rules are asserted as
//! invariants over all of it, and a summary table is kept as a snapshot so that any change
//! of who may do what shows in review.

use super::*;
use std::fmt::Write;

const ROOT: &str = "/1/";
const OWN_UNIT: &str = "/1/2/";
const OTHER_UNIT: &str = "/1/3/";

fn actor(name: &str, role: Role, on: &str, home: Option<&str>, pillars: Option<&[&str]>) -> (String, Actor) {
    let grant = Grant {
        role,
        org_path: on.to_owned(),
        pillars: pillars.map(|pillars| pillars.iter().map(|pillar| (*pillar).to_owned()).collect()),
    };
    (
        name.to_owned(),
        Actor { account_id: 1, login: name.to_owned(), home_org_path: home.map(str::to_owned), grants: vec![grant] },
    )
}

fn actors() -> Vec<(String, Actor)> {
    vec![
        actor("administrator@root", Role::Administrator, ROOT, None, None),
        actor("administrator@unit", Role::Administrator, OWN_UNIT, Some(OWN_UNIT), None),
        actor("manager@root", Role::CampaignManager, ROOT, None, None),
        actor("reviewer@root", Role::Reviewer, ROOT, None, None),
        actor("reviewer@root(home=own)", Role::Reviewer, ROOT, Some(OWN_UNIT), None),
        actor("reviewer@root(pillar=a)", Role::Reviewer, ROOT, None, Some(&["a"])),
        actor("editor@own", Role::UnitEditor, OWN_UNIT, Some(OWN_UNIT), None),
        actor("head@own", Role::UnitHead, OWN_UNIT, Some(OWN_UNIT), None),
        actor("viewer@root", Role::Viewer, ROOT, None, None),
    ]
}

/// Every subject of a unit's submission: unit x campaign state x submission state x
/// deadline, reviewed in pillar `a`.
fn subjects() -> Vec<Subject<'static>> {
    let mut subjects = Vec::new();
    for unit in [OWN_UNIT, OTHER_UNIT] {
        for campaign in CampaignState::ALL {
            for submission in SubmissionState::ALL {
                for past_deadline in [false, true] {
                    subjects.push(Subject {
                        org_path: unit,
                        campaign: Some(campaign),
                        submission: Some(submission),
                        past_deadline,
                        pillar: Some("a"),
                    });
                }
            }
        }
    }
    subjects
}

fn allowed(actor: &Actor, action: Action, subject: &Subject) -> bool {
    decide(actor, action, subject).is_ok()
}

#[test]
fn a_unit_role_never_touches_another_unit() {
    for (name, actor) in actors().iter().filter(|(name, _)| name.ends_with("@own")) {
        for subject in subjects().iter().filter(|subject| subject.org_path == OTHER_UNIT) {
            for action in Action::ALL {
                assert!(!allowed(actor, action, subject), "{name} {action:?} {subject:?}");
            }
        }
    }
}

#[test]
fn nobody_but_the_unit_and_its_managers_reads_a_draft() {
    let drafts = [SubmissionState::NotStarted, SubmissionState::Draft, SubmissionState::ChangesRequested];
    for (name, actor) in actors() {
        for subject in subjects().iter().filter(|subject| drafts.contains(&subject.submission.unwrap())) {
            let may = allowed(&actor, Action::ReadSubmission, subject);
            let expected = name.starts_with("manager") || (name.ends_with("@own") && subject.org_path == OWN_UNIT);
            assert_eq!(may, expected, "{name} reads {subject:?}");
        }
    }
}

#[test]
fn a_reviewer_never_reviews_their_own_unit_or_another_pillar() {
    for (name, actor) in actors() {
        for subject in subjects() {
            for action in [Action::Review, Action::DecideSubmission] {
                let may = allowed(&actor, action, &subject);
                if name == "reviewer@root(home=own)" && subject.org_path == OWN_UNIT {
                    assert_eq!(decide(&actor, action, &subject), Err(Refusal::OwnUnit));
                }
                if name.contains("pillar=a") {
                    let elsewhere = Subject { pillar: Some("b"), ..subject };
                    assert_eq!(decide(&actor, action, &elsewhere), Err(Refusal::OtherPillar));
                }
                if may {
                    assert!(name.starts_with("reviewer"), "{name} {action:?}");
                    assert_eq!(subject.submission, Some(SubmissionState::Submitted));
                    assert!(matches!(subject.campaign, Some(CampaignState::Open | CampaignState::Closed)));
                }
            }
        }
    }
}

#[test]
fn saving_needs_an_open_campaign_a_draft_and_time() {
    for (name, actor) in actors() {
        for subject in subjects() {
            for action in [Action::EditSubmission, Action::Submit] {
                if !allowed(&actor, action, &subject) {
                    continue;
                }
                assert!(name.ends_with("@own") && subject.org_path == OWN_UNIT, "{name}");
                assert_eq!(subject.campaign, Some(CampaignState::Open));
                assert!(!subject.past_deadline);
                let state = subject.submission.unwrap();
                assert!(matches!(
                    state,
                    SubmissionState::NotStarted | SubmissionState::Draft | SubmissionState::ChangesRequested
                ));
                if action == Action::Submit {
                    assert!(name.starts_with("head"), "only a unit's head submits");
                    assert_ne!(state, SubmissionState::NotStarted, "nothing to submit");
                }
            }
        }
    }
}

#[test]
fn every_refusal_of_state_says_which() {
    let (_, head) = actor("head", Role::UnitHead, OWN_UNIT, Some(OWN_UNIT), None);
    let base = Subject {
        org_path: OWN_UNIT,
        campaign: Some(CampaignState::Open),
        submission: Some(SubmissionState::Draft),
        past_deadline: false,
        pillar: None,
    };
    let cases = [
        (Subject { campaign: Some(CampaignState::Closed), ..base }, Refusal::Closed),
        (Subject { campaign: Some(CampaignState::Draft), ..base }, Refusal::NotOpen),
        (Subject { campaign: Some(CampaignState::Finalised), ..base }, Refusal::Finalised),
        (Subject { past_deadline: true, ..base }, Refusal::DeadlinePassed),
        (Subject { submission: Some(SubmissionState::Submitted), ..base }, Refusal::Submitted),
        (Subject { submission: Some(SubmissionState::Verified), ..base }, Refusal::Verified),
        (Subject { submission: Some(SubmissionState::Locked), ..base }, Refusal::Locked),
    ];
    for (subject, refusal) in cases {
        assert_eq!(decide(&head, Action::EditSubmission, &subject), Err(refusal), "{subject:?}");
        assert_eq!(refusal.status(), StatusCode::CONFLICT);
        assert!(!refusal.vietnamese().is_empty());
    }
    assert_eq!(
        decide(&head, Action::Submit, &Subject { submission: Some(SubmissionState::NotStarted), ..base }),
        Err(Refusal::Empty)
    );
}

#[test]
fn viewers_and_administrators_change_no_submission() {
    let changes = [
        Action::EditSubmission,
        Action::Submit,
        Action::Review,
        Action::DecideSubmission,
        Action::Lock,
        Action::Reopen,
    ];
    for (name, actor) in
        actors().iter().filter(|(name, _)| name.starts_with("viewer") || name.starts_with("administrator"))
    {
        for subject in subjects() {
            for action in changes {
                assert!(!allowed(actor, action, &subject), "{name} {action:?}");
            }
        }
    }
}

/// How many of the 60 state combinations (campaign x submission x deadline) allow each
/// action, per actor and unit: the matrix at a glance.
#[test]
fn the_matrix_summary() {
    let mut table = String::from("actor / unit");
    for action in Action::ALL {
        let _ = write!(table, " | {action:?}");
    }
    table.push('\n');
    for (name, actor) in actors() {
        for unit in [OWN_UNIT, OTHER_UNIT] {
            let _ = write!(table, "{name} / {}", if unit == OWN_UNIT { "own" } else { "other" });
            for action in Action::ALL {
                let count = subjects().iter().filter(|s| s.org_path == unit && allowed(&actor, action, s)).count();
                let _ = write!(table, " | {count}");
            }
            table.push('\n');
        }
    }
    insta::assert_snapshot!(table);
}
