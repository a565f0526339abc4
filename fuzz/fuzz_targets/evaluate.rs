#![no_main]
//! Fuzz target `evaluate`: see [`dti_fuzz::evaluate`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::evaluate(bytes));
