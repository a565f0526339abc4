#![no_main]
//! Fuzz target `coinr`: see [`dti_fuzz::coinr`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::coinr(bytes));
