//! The app's state and its reducer: pure data, tested natively.
//!
//! Everything the user types lives in [`Drafts`], which is saved to local storage after
//! every change (see `storage`), so that a reload or a crash loses nothing.

use dti_core::assessment::{Entry, Submission};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The interface language: the engine's one language type.
pub use dti_core::text::Language;

/// Which indicator file a draft uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrameworkChoice {
    /// A built-in set, by id.
    Builtin(String),
    /// A file opened from disk, kept whole so that a reload restores it.
    File {
        /// The file's name.
        name: String,
        /// Its text.
        text: String,
    },
}

impl Default for FrameworkChoice {
    fn default() -> Self {
        FrameworkChoice::Builtin(dti_core::builtin::BUILTINS[0].id.to_owned())
    }
}

/// One self-assessment in progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The indicator file.
    pub framework: FrameworkChoice,
    /// What the unit entered.
    pub submission: Submission,
}

/// Every draft, and which one is open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drafts {
    /// The open draft's key.
    pub current: String,
    /// Drafts by key.
    pub drafts: BTreeMap<String, Draft>,
    /// The next key's number.
    pub next: u32,
    /// The draft deleted last, with its key, until it is restored or another is deleted
    /// (kept with the drafts, so that an undo survives a reload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<(String, Draft)>,
}

impl Default for Drafts {
    fn default() -> Self {
        let mut drafts = BTreeMap::new();
        drafts.insert("d1".to_owned(), Draft::default());
        Self { current: "d1".into(), drafts, next: 2, deleted: None }
    }
}

impl Drafts {
    /// The open draft.
    pub fn draft(&self) -> &Draft {
        static EMPTY: std::sync::LazyLock<Draft> = std::sync::LazyLock::new(Draft::default);
        self.drafts.get(&self.current).or_else(|| self.drafts.values().next()).unwrap_or(&EMPTY)
    }

    fn draft_mut(&mut self) -> &mut Draft {
        if !self.drafts.contains_key(&self.current) {
            self.current = self.drafts.keys().next().cloned().unwrap_or_else(|| "d1".into());
        }
        self.drafts.entry(self.current.clone()).or_default()
    }

    fn entry_mut(&mut self, indicator: &str) -> &mut Entry {
        self.draft_mut().submission.values.entry(indicator.to_owned()).or_default()
    }

    /// Adds a draft and opens it.
    fn add(&mut self, draft: Draft) {
        let key = format!("d{}", self.next);
        self.next += 1;
        self.drafts.insert(key.clone(), draft);
        self.current = key;
    }
}

/// A change the user (or the storage layer) makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Switch the language.
    SetLanguage(Language),
    /// Open another draft.
    SelectDraft(String),
    /// Start a new draft with the open draft's indicator set, unit and block.
    NewDraft,
    /// Delete the open draft (the last one is emptied instead); it can be restored.
    DeleteDraft,
    /// Restore the draft deleted last and open it.
    UndoDelete,
    /// Choose the indicator set (entries that no longer match are kept, not lost).
    SetFramework(FrameworkChoice),
    /// The unit's block.
    SetBlock(Option<String>),
    /// The unit's name.
    SetUnitName(String),
    /// The unit's id.
    SetUnitId(String),
    /// The period.
    SetPeriod(String),
    /// An indicator's value as typed.
    SetValue(String, String),
    /// Check or uncheck a checklist item.
    ToggleItem(String, String),
    /// An indicator's evidence link.
    SetEvidence(String, String),
    /// An indicator's evidence date.
    SetEvidenceDate(String, String),
    /// An indicator's note.
    SetNote(String, String),
    /// Open an imported submission as a new draft.
    Import(Box<Draft>),
    /// Saving failed (storage full or refused); the message is shown.
    StorageFailed(String),
    /// Saving works again.
    StorageOk,
}

/// The whole app state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppState {
    /// The language.
    pub language: Language,
    /// The drafts.
    pub drafts: Drafts,
    /// Why the last save failed, if it did.
    pub storage_error: Option<String>,
}

impl AppState {
    /// The state after an action.
    pub fn reduce(mut self, action: Action) -> Self {
        let drafts = &mut self.drafts;
        match action {
            Action::SetLanguage(language) => self.language = language,
            Action::SelectDraft(key) => {
                if drafts.drafts.contains_key(&key) {
                    drafts.current = key;
                }
            }
            Action::NewDraft => {
                let open = drafts.draft();
                let mut submission = Submission { values: BTreeMap::new(), ..open.submission.clone() };
                submission.period.clear();
                let draft = Draft { framework: open.framework.clone(), submission };
                drafts.add(draft);
            }
            Action::DeleteDraft => {
                let current = drafts.current.clone();
                if let Some(draft) = drafts.drafts.remove(&current) {
                    drafts.deleted = Some((current.clone(), draft));
                }
                if drafts.drafts.is_empty() {
                    drafts.drafts.insert(current.clone(), Draft::default());
                } else {
                    drafts.current = drafts.drafts.keys().next().cloned().unwrap_or(current);
                }
            }
            Action::UndoDelete => {
                if let Some((key, draft)) = drafts.deleted.take() {
                    // The last draft was emptied in its place: an untouched empty one goes.
                    if drafts.drafts.get(&key).is_some_and(|left| *left == Draft::default()) {
                        drafts.drafts.remove(&key);
                    }
                    let key = if drafts.drafts.contains_key(&key) {
                        let fresh = format!("d{}", drafts.next);
                        drafts.next += 1;
                        fresh
                    } else {
                        key
                    };
                    drafts.drafts.insert(key.clone(), draft);
                    drafts.current = key;
                }
            }
            Action::SetFramework(choice) => drafts.draft_mut().framework = choice,
            Action::SetBlock(block) => drafts.draft_mut().submission.block = block,
            Action::SetUnitName(name) => drafts.draft_mut().submission.unit_name = name,
            Action::SetUnitId(id) => drafts.draft_mut().submission.unit_id = id,
            Action::SetPeriod(period) => drafts.draft_mut().submission.period = period,
            Action::SetValue(indicator, value) => drafts.entry_mut(&indicator).value = value,
            Action::ToggleItem(indicator, item) => {
                let items = &mut drafts.entry_mut(&indicator).items;
                match items.iter().position(|checked| *checked == item) {
                    Some(index) => {
                        items.remove(index);
                    }
                    None => items.push(item),
                }
            }
            Action::SetEvidence(indicator, link) => drafts.entry_mut(&indicator).evidence = link,
            Action::SetEvidenceDate(indicator, date) => drafts.entry_mut(&indicator).evidence_date = date,
            Action::SetNote(indicator, note) => drafts.entry_mut(&indicator).note = note,
            Action::Import(draft) => drafts.add(*draft),
            Action::StorageFailed(message) => self.storage_error = Some(message),
            Action::StorageOk => self.storage_error = None,
        }
        // Entries emptied by the user are dropped, so that exports stay tidy.
        if let Some(draft) = self.drafts.drafts.get_mut(&self.drafts.current) {
            draft.submission.values.retain(|_, entry| !entry.is_empty());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(actions: impl IntoIterator<Item = Action>) -> AppState {
        actions.into_iter().fold(AppState::default(), AppState::reduce)
    }

    #[test]
    fn typed_values_evidence_and_notes_are_kept_per_indicator() {
        let state = run([
            Action::SetValue("a".into(), "85".into()),
            Action::SetEvidence("a".into(), "https://x.vn/1".into()),
            Action::SetEvidenceDate("a".into(), "2026-10-01".into()),
            Action::SetNote("a".into(), "ghi chú".into()),
        ]);
        let entry = &state.drafts.draft().submission.values["a"];
        assert_eq!(entry.value, "85");
        assert_eq!(entry.evidence, "https://x.vn/1");
        assert_eq!(entry.evidence_date, "2026-10-01");
        assert_eq!(entry.note, "ghi chú");
    }

    #[test]
    fn clearing_a_value_drops_the_empty_entry() {
        let state = run([Action::SetValue("a".into(), "85".into()), Action::SetValue("a".into(), String::new())]);
        assert!(state.drafts.draft().submission.values.is_empty());
    }

    #[test]
    fn checklist_items_toggle() {
        let state = run([
            Action::ToggleItem("q".into(), "correct".into()),
            Action::ToggleItem("q".into(), "clean".into()),
            Action::ToggleItem("q".into(), "correct".into()),
        ]);
        assert_eq!(state.drafts.draft().submission.values["q"].items, vec!["clean".to_owned()]);
    }

    #[test]
    fn drafts_coexist_and_keep_their_values() {
        let state = run([
            Action::SetUnitName("Sở A".into()),
            Action::SetPeriod("2025".into()),
            Action::SetValue("a".into(), "1".into()),
            Action::NewDraft,
            Action::SetPeriod("2026".into()),
            Action::SetValue("a".into(), "2".into()),
        ]);
        assert_eq!(state.drafts.drafts.len(), 2);
        assert_eq!(state.drafts.draft().submission.unit_name, "Sở A");
        assert_eq!(state.drafts.draft().submission.values["a"].value, "2");
        let first = state.clone().reduce(Action::SelectDraft("d1".into()));
        assert_eq!(first.drafts.draft().submission.period, "2025");
        assert_eq!(first.drafts.draft().submission.values["a"].value, "1");
    }

    #[test]
    fn deleting_the_last_draft_leaves_an_empty_one() {
        let state = run([Action::SetValue("a".into(), "1".into()), Action::DeleteDraft]);
        assert_eq!(state.drafts.drafts.len(), 1);
        assert!(state.drafts.draft().submission.values.is_empty());
    }

    #[test]
    fn a_deleted_draft_comes_back_with_undo_even_after_a_reload() {
        let state =
            run([Action::SetValue("a".into(), "1".into()), Action::NewDraft, Action::SetValue("a".into(), "2".into())]);
        let deleted = state.drafts.current.clone();
        let state = state.reduce(Action::DeleteDraft);
        assert_eq!(state.drafts.drafts.len(), 1);
        let saved = serde_json::to_string(&state.drafts).unwrap();
        let reloaded = AppState { drafts: serde_json::from_str(&saved).unwrap(), ..AppState::default() };
        let restored = reloaded.reduce(Action::UndoDelete);
        assert_eq!(restored.drafts.drafts.len(), 2);
        assert_eq!(restored.drafts.current, deleted);
        assert_eq!(restored.drafts.draft().submission.values["a"].value, "2");
        assert!(restored.drafts.deleted.is_none());

        // The only draft, deleted: an empty one takes its place, and undo brings it back.
        let state = run([Action::SetValue("a".into(), "1".into()), Action::DeleteDraft, Action::UndoDelete]);
        assert_eq!(state.drafts.drafts.len(), 1);
        assert_eq!(state.drafts.draft().submission.values["a"].value, "1");
    }

    #[test]
    fn drafts_survive_a_save_and_restore() {
        let state = run([Action::SetValue("a".into(), "1".into()), Action::NewDraft]);
        let saved = serde_json::to_string(&state.drafts).unwrap();
        let restored: Drafts = serde_json::from_str(&saved).unwrap();
        assert_eq!(restored, state.drafts);
    }
}
