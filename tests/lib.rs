//! Integration tests for dti live in `tests.rs`; this library is empty on purpose.
