#![no_main]
//! Fuzz target `merge`: see [`dti_fuzz::merge`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::merge(bytes));
