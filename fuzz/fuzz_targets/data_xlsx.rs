#![no_main]
//! Fuzz target `data_xlsx`: see [`dti_fuzz::data_xlsx`].

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| dti_fuzz::data_xlsx(bytes));
