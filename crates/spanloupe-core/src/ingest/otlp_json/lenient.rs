//! Lenient serde helpers for OTLP JSON.
//!
//! The OTLP/JSON rules say: ids are hex, 64-bit integers are decimal strings,
//! enums are integers, keys are lowerCamelCase. Real files differ: generic
//! protobuf tools write base64 ids and enum names, some SDKs write int64 as
//! JSON numbers, hand-written files use snake_case. A viewer reads them all,
//! and when it cannot, says which value was wrong (serde_json adds the line and
//! column to every message produced here).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// An unsigned 64-bit number (timestamps): a decimal string, a JSON integer,
/// or a JSON float without a fraction (some JavaScript encoders write `1.7e18`).
fn u64_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(U64Visitor)
}

struct U64Visitor;

impl<'de> Visitor<'de> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an unsigned integer as a number or a decimal string")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom(format!("expected an unsigned integer, found {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // 2^64 as f64; every integral float below it fits in a u64.
        if v.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&v) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            // range checked above
            Ok(v as u64)
        } else {
            Err(E::custom(format!(
                "expected an unsigned integer, found {v}"
            )))
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<u64, E> {
        if text.is_empty() {
            return Ok(0);
        }
        text.parse::<u64>().map_err(|_| {
            E::custom(format!(
                "expected an unsigned integer, found {}",
                crate::format::quoted(text)
            ))
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<u64, E> {
        Ok(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<u64, E> {
        Ok(0)
    }
}

/// A 32-bit unsigned number (flags, dropped counts), as a number or a string.
fn u32_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let value = deserializer.deserialize_any(U64Visitor)?;
    u32::try_from(value).map_err(|_| {
        de::Error::custom(format!("expected a 32-bit unsigned integer, found {value}"))
    })
}

/// A signed 64-bit number (`intValue`), as a number or a decimal string.
fn i64_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(I64Visitor)
}

struct I64Visitor;

impl<'de> Visitor<'de> for I64Visitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer as a number or a decimal string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("integer {v} is larger than int64 allows")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // -2^63 ..= 2^63 (exclusive at the top) as f64.
        if v.fract() == 0.0
            && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v)
        {
            #[allow(clippy::cast_possible_truncation)] // range checked above
            Ok(v as i64)
        } else {
            Err(E::custom(format!("expected an integer, found {v}")))
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<i64, E> {
        text.parse::<i64>().map_err(|_| {
            E::custom(format!(
                "expected an integer, found {}",
                crate::format::quoted(text)
            ))
        })
    }
}

/// A double (`doubleValue`): a number, or a string for the values JSON has no
/// literal for ("NaN", "Infinity", "-Infinity") and for numbers sent as text.
fn f64_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer.deserialize_any(F64Visitor)
}

struct F64Visitor;

impl<'de> Visitor<'de> for F64Visitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    #[allow(clippy::cast_precision_loss)] // a double attribute is a double
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
        match text {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => text.parse::<f64>().map_err(|_| {
                E::custom(format!(
                    "expected a number, found {}",
                    crate::format::quoted(text)
                ))
            }),
        }
    }
}

/// A boolean, also as the strings "true" and "false".
fn bool_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(BoolVisitor)
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("true or false")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<bool, E> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(E::custom(format!(
                "expected true or false, found {}",
                crate::format::quoted(text)
            ))),
        }
    }
}

/// `bytesValue`: base64, as the protobuf JSON mapping writes bytes.
fn base64_bytes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    struct Base64Visitor;
    impl<'de> Visitor<'de> for Base64Visitor {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("base64 text")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
            crate::model::ids::decode_base64(text).ok_or_else(|| {
                E::custom(format!(
                    "bytesValue must be base64, found {}",
                    crate::format::quoted(text)
                ))
            })
        }
    }
    deserializer.deserialize_str(Base64Visitor)
}

/// An enum given as its number or as its name, with the names a table of
/// (name without prefix, number). `prefix` is the protobuf enum prefix
/// (`SPAN_KIND_`); names are matched without it, case-insensitively, and also
/// in the `SpanKind.SERVER` form the Python SDK prints.
fn enum_lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
    what: &'static str,
    prefix: &'static str,
    names: &'static [(&'static str, i32)],
) -> Result<i32, D::Error> {
    struct EnumVisitor {
        what: &'static str,
        prefix: &'static str,
        names: &'static [(&'static str, i32)],
    }
    impl<'de> Visitor<'de> for EnumVisitor {
        type Value = i32;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(
                f,
                "a {} as a number or a name like {}{}",
                self.what,
                self.prefix,
                self.example()
            )
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i32, E> {
            i32::try_from(v).map_err(|_| E::custom(format!("{} {v} is out of range", self.what)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i32, E> {
            i32::try_from(v).map_err(|_| E::custom(format!("{} {v} is out of range", self.what)))
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<i32, E> {
            if let Ok(number) = text.parse::<i32>() {
                return Ok(number);
            }
            let upper = text.to_ascii_uppercase();
            let bare = upper
                .strip_prefix(self.prefix)
                .or_else(|| upper.rsplit_once('.').map(|(_, name)| name))
                .unwrap_or(&upper);
            self.names
                .iter()
                .find(|(name, _)| *name == bare)
                .map(|(_, number)| *number)
                .ok_or_else(|| {
                    E::custom(format!(
                        "{} must be a number or a name like {}{}, found {}",
                        self.what,
                        self.prefix,
                        self.example(),
                        crate::format::quoted(text)
                    ))
                })
        }
        fn visit_unit<E: de::Error>(self) -> Result<i32, E> {
            Ok(0)
        }
    }
    impl EnumVisitor {
        fn example(&self) -> &'static str {
            self.names.get(1).map_or("", |(name, _)| name)
        }
    }
    deserializer.deserialize_any(EnumVisitor {
        what,
        prefix,
        names,
    })
}

/// `Span.kind`: `2` or `"SPAN_KIND_SERVER"`.
fn span_kind<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    const NAMES: &[(&str, i32)] = &[
        ("UNSPECIFIED", 0),
        ("INTERNAL", 1),
        ("SERVER", 2),
        ("CLIENT", 3),
        ("PRODUCER", 4),
        ("CONSUMER", 5),
    ];
    enum_lenient(deserializer, "span kind", "SPAN_KIND_", NAMES)
}

/// `Status.code`: `2` or `"STATUS_CODE_ERROR"`.
fn status_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    const NAMES: &[(&str, i32)] = &[("UNSET", 0), ("OK", 1), ("ERROR", 2)];
    enum_lenient(deserializer, "status code", "STATUS_CODE_", NAMES)
}

/// `LogRecord.severityNumber`: `9` or `"SEVERITY_NUMBER_INFO"`.
fn severity_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    const NAMES: &[(&str, i32)] = &[
        ("UNSPECIFIED", 0),
        ("TRACE", 1),
        ("TRACE2", 2),
        ("TRACE3", 3),
        ("TRACE4", 4),
        ("DEBUG", 5),
        ("DEBUG2", 6),
        ("DEBUG3", 7),
        ("DEBUG4", 8),
        ("INFO", 9),
        ("INFO2", 10),
        ("INFO3", 11),
        ("INFO4", 12),
        ("WARN", 13),
        ("WARN2", 14),
        ("WARN3", 15),
        ("WARN4", 16),
        ("ERROR", 17),
        ("ERROR2", 18),
        ("ERROR3", 19),
        ("ERROR4", 20),
        ("FATAL", 21),
        ("FATAL2", 22),
        ("FATAL3", 23),
        ("FATAL4", 24),
    ];
    enum_lenient(deserializer, "severity number", "SEVERITY_NUMBER_", NAMES)
}

/// A value read leniently: `Lenient<u64>` takes a number or a decimal
/// string, and so on (see the functions above).
pub struct Lenient<T>(pub T);

macro_rules! lenient {
    ($ty:ty, $read:path) => {
        impl<'de> Deserialize<'de> for Lenient<$ty> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $read(d).map(Lenient)
            }
        }
    };
}
lenient!(u64, u64_lenient);
lenient!(u32, u32_lenient);
lenient!(i64, i64_lenient);
lenient!(f64, f64_lenient);
lenient!(bool, bool_lenient);

/// `bytesValue`, decoded from base64.
pub struct Base64(pub Vec<u8>);

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        base64_bytes(d).map(Base64)
    }
}

/// The protobuf enums a JSON file may spell as a number or a name.
pub struct SpanKind(pub i32);
pub struct StatusCode(pub i32);
pub struct SeverityNumber(pub i32);

impl<'de> Deserialize<'de> for SpanKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span_kind(d).map(SpanKind)
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        status_code(d).map(StatusCode)
    }
}

impl<'de> Deserialize<'de> for SeverityNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        severity_number(d).map(SeverityNumber)
    }
}
