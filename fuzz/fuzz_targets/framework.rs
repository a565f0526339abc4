#![no_main]
//! Fuzz target `framework`: see [`dti_fuzz::framework`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::framework(bytes));
