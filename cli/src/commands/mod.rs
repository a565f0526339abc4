//! The commands beyond `validate` and `evaluate`, one module each.

pub mod admin;
pub mod alerts;
pub mod diff;
pub mod explain;
pub mod merge;
pub mod publish;
pub mod report;
pub mod sensitivity;
pub mod serve;
pub mod template;
pub mod verify;
