//! The values that make production traces hard to intern: ids that differ on
//! every request (UUIDs, IPs, tokens), timestamps written out as text, and
//! user agents with their many version numbers.

use std::fmt::Write as _;

use crate::Rng;

/// One of `choices`, evenly. Never empty (checked when compiling), and
/// `below(N)` is under `N`: the index is always in bounds.
pub fn pick<'a, T, const N: usize>(rng: &mut Rng, choices: &'a [T; N]) -> &'a T {
    const { assert!(N > 0, "nothing to pick from") };
    &choices[usize::try_from(rng.below(N as u64)).unwrap_or(0)]
}

/// A number in `low..=high`.
pub fn between(rng: &mut Rng, low: u64, high: u64) -> u64 {
    low + rng.below(high - low + 1)
}

/// True with probability `percent` / 100.
pub fn chance(rng: &mut Rng, percent: u64) -> bool {
    rng.below(100) < percent
}

/// A random (version 4) UUID, as text.
pub fn uuid(rng: &mut Rng) -> String {
    let mut bytes = rng.bytes::<16>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The UUID of the `index`th member of a population (users, products'
/// sessions...): the same index always gives the same id, so a user who comes
/// back has the same id without the generator keeping a table of them.
pub fn member_uuid(population: u64, index: u64) -> String {
    uuid(&mut Rng::new(
        population ^ index.wrapping_mul(0xd6e8_feb8_6659_fd93),
    ))
}

/// `length` characters of `[A-Za-z0-9]`, as in provider ids (`chatcmpl-…`).
pub fn token(rng: &mut Rng, length: usize) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..length)
        .map(|_| char::from(*pick(rng, ALPHABET)))
        .collect()
}

/// `bytes` random bytes as lowercase hex.
pub fn hex(rng: &mut Rng, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes * 2);
    for _ in 0..bytes {
        let _ = write!(out, "{:02x}", rng.below(256));
    }
    out
}

/// A public client address.
pub fn ipv4(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        between(rng, 11, 223),
        rng.below(256),
        rng.below(256),
        between(rng, 1, 254)
    )
}

/// A pod's address inside the cluster.
pub fn pod_ip(rng: &mut Rng) -> String {
    format!(
        "10.{}.{}.{}",
        rng.below(4),
        rng.below(256),
        between(rng, 2, 254)
    )
}

/// A time as ISO 8601 with milliseconds, as applications log it:
/// `2026-11-21T06:40:00.123Z`.
pub fn iso8601(unix_nanos: u64) -> String {
    let millis = unix_nanos / 1_000_000;
    let seconds = millis / 1000;
    let (year, month, day) = civil_from_days(seconds / 86_400);
    let in_day = seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60,
        millis % 1000
    )
}

/// (year, month, day) of a day counted from 1970-01-01: Howard Hinnant's
/// `civil_from_days`, for days after the epoch only (no signed arithmetic).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A browser's or the mobile app's user agent: the same few families, with
/// the spread of versions and devices real traffic has.
pub fn user_agent(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 | 1 => format!(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.{} Safari/537.36",
            between(rng, 118, 131),
            between(rng, 5900, 6800),
            rng.below(250)
        ),
        2 => format!(
            "Mozilla/5.0 (iPhone; CPU iPhone OS {}_{} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{}.{} Mobile/15E148 Safari/604.1",
            between(rng, 16, 18),
            rng.below(7),
            between(rng, 16, 18),
            rng.below(7)
        ),
        3 => {
            let version = between(rng, 115, 133);
            format!(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{version}.0) Gecko/20100101 Firefox/{version}.0"
            )
        }
        4 => format!(
            "Mozilla/5.0 (Linux; Android {}; {}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.{} Mobile Safari/537.36",
            between(rng, 11, 15),
            pick(
                rng,
                &[
                    "Pixel 7",
                    "Pixel 8 Pro",
                    "SM-S918B",
                    "SM-A546B",
                    "moto g54 5G"
                ]
            ),
            between(rng, 118, 131),
            between(rng, 5900, 6800),
            rng.below(250)
        ),
        _ => format!(
            "ShopApp/4.{}.{} (com.example.shop; build:{}; {}) okhttp/4.12.0",
            rng.below(30),
            rng.below(10),
            between(rng, 40_000, 49_999),
            pick(
                rng,
                &[
                    "iOS 17.5.1",
                    "iOS 18.1",
                    "Android 14",
                    "Android 13",
                    "iPadOS 17.6"
                ]
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_calendars_do() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso8601(1_700_000_000_123_000_000),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(iso8601(951_782_400_000_000_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn uuids_have_the_version_4_shape() {
        let id = uuid(&mut Rng::new(3));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_eq!(member_uuid(1, 2), member_uuid(1, 2));
        assert_ne!(member_uuid(1, 2), member_uuid(1, 3));
    }
}
