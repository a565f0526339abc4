#![no_main]
//! Fuzz target `submission`: see [`dti_fuzz::submission`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::submission(bytes));
