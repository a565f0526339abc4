#![no_main]
//! Fuzz target `data_csv`: see [`dti_fuzz::data_csv`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::data_csv(bytes));
