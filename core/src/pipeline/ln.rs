//! The natural logarithm of a whole column, bit for bit as `libm::log` (the same
//! algorithm and operations, FreeBSD's `e_log.c`), about twice as fast: the common case
//! (positive, normal, finite values) runs without branches, so the loop vectorises, and
//! only the other values go through `libm::log`.

// libm's constants, as their bits.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);

/// Values taken at once: the branch-free loop runs over a chunk, then the few values it
/// cannot take are done again one by one.
const CHUNK: usize = 64;

/// Replaces every value by its natural logarithm (`NaN` stays `NaN`).
pub fn log_in_place(values: &mut [f64]) {
    for chunk in values.chunks_mut(CHUNK) {
        let mut original = [0.0; CHUNK];
        original[..chunk.len()].copy_from_slice(chunk);
        let mut all_normal = true;
        for value in chunk.iter_mut() {
            all_normal &= is_positive_normal(*value);
            *value = log_positive_normal(*value);
        }
        if !all_normal {
            for (value, &x) in chunk.iter_mut().zip(&original) {
                if !is_positive_normal(x) {
                    *value = libm::log(x);
                }
            }
        }
    }
}

/// Positive, normal and finite: the values `libm::log` takes without a special case
/// (its case for exactly 1 gives the same 0 as the general formula).
fn is_positive_normal(x: f64) -> bool {
    const SMALLEST: u64 = 0x0010_0000_0000_0000;
    const INFINITY: u64 = 0x7ff0_0000_0000_0000;
    x.to_bits().wrapping_sub(SMALLEST) < INFINITY - SMALLEST
}

/// `libm::log` for a positive, normal, finite `x` (any result otherwise).
fn log_positive_normal(x: f64) -> f64 {
    let bits = x.to_bits();
    // Reduce x into [sqrt(2)/2, sqrt(2)] times 2^k.
    let high = ((bits >> 32) as u32).wrapping_add(0x3ff0_0000 - 0x3fe6_a09e);
    let k = (high >> 20) as i32 - 0x3ff;
    let high = (high & 0x000f_ffff) + 0x3fe6_a09e;
    let x = f64::from_bits((u64::from(high) << 32) | (bits & 0xffff_ffff));
    let f = x - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let dk = f64::from(k);
    s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_as_libm(values: &[f64]) {
        let mut logged = values.to_vec();
        log_in_place(&mut logged);
        for (x, log) in values.iter().zip(logged) {
            let expected = libm::log(*x);
            assert!(log.to_bits() == expected.to_bits() || (log.is_nan() && expected.is_nan()), "log({x:e})");
        }
    }

    #[test]
    fn special_values_are_logged_as_libm_logs_them() {
        let special = [
            0.0,
            -0.0,
            -1.0,
            1.0,
            2.0,
            f64::MIN_POSITIVE,
            f64::MIN_POSITIVE / 3.0,
            5e-324,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            std::f64::consts::SQRT_2,
            std::f64::consts::FRAC_1_SQRT_2,
        ];
        // In every position of a chunk, and in a short last chunk.
        let mixed: Vec<f64> = (0..CHUNK * 3 + 5).map(|i| special[i % special.len()] * (1.0 + i as f64)).collect();
        same_as_libm(&mixed);
        same_as_libm(&special);
    }

    proptest! {
        #[test]
        fn any_column_is_logged_bit_for_bit_as_libm(bits in proptest::collection::vec(any::<u64>(), 0..300), scale in 1e-300f64..1e300) {
            let values: Vec<f64> = bits.iter().enumerate()
                .map(|(i, &bits)| if i % 2 == 0 { f64::from_bits(bits) } else { (bits >> 11) as f64 / scale })
                .collect();
            same_as_libm(&values);
        }
    }
}
