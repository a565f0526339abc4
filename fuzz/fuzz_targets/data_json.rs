#![no_main]
//! Fuzz target `data_json`: see [`dti_fuzz::data_json`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::data_json(bytes));
