#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| spanloupe_fuzz::checks::load(data));
