//! What the readers of other tracers' formats (Jaeger, Zipkin, the console
//! exporters, OTLP in a log) share: borrowed text, ids read with a warning
//! that names the format, scopes made once per name and version, status
//! names, and the warning about skipped lines.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::IngestError;
use crate::model::ids::{IdKind, decode_id_text_into};
use crate::model::{LinkRecord, Scope, Slice, StrId, TraceSetBuilder, WarningKind};

/// Text borrowed from the input when it has no escapes (serde's own
/// `Cow<str>` always copies): keys and tag names are read millions of times.
#[derive(Default)]
pub(super) struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(TextVisitor(PhantomData))
    }
}

/// `null` where a list or map is expected reads as empty (Jaeger writes
/// `"warnings": null`, `"logs": null`).
pub(super) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// An id's bytes (hex or base64) into `out`; its length, or 0 with a warning
/// naming the format when it cannot be read.
pub(super) fn id(
    builder: &mut TraceSetBuilder,
    format: &str,
    text: &str,
    kind: IdKind,
    out: &mut [u8; 16],
) -> usize {
    match decode_id_text_into(text, kind, out) {
        Ok(len) => len,
        Err(why) => {
            let warning = match kind {
                IdKind::Trace => WarningKind::BadTraceId,
                IdKind::Span | IdKind::ParentSpan => WarningKind::BadSpanId,
            };
            builder.warn(warning, format!("a {format} {}: {why}", kind.label()));
            0
        }
    }
}

/// An OTLP status code from its name (`OK`, `ERROR`, any case); 0 (unset)
/// for anything else.
pub(super) fn status_code(name: &str) -> i32 {
    if name.eq_ignore_ascii_case("OK") {
        1
    } else if name.eq_ignore_ascii_case("ERROR") {
        2
    } else {
        0
    }
}

/// Scopes by name and version, each made once: these formats carry the
/// scope on every span, if at all.
#[derive(Default)]
pub(super) struct Scopes(HashMap<(StrId, StrId), u32>);

impl Scopes {
    pub fn get(&mut self, builder: &mut TraceSetBuilder, name: &str, version: &str) -> u32 {
        let strings = builder.strings();
        let name = strings.intern(name);
        let version = strings.intern(version);
        self.get_interned(builder, name, version)
    }

    pub fn get_interned(
        &mut self,
        builder: &mut TraceSetBuilder,
        name: StrId,
        version: StrId,
    ) -> u32 {
        *self.0.entry((name, version)).or_insert_with(|| {
            let index = builder.begin_scope();
            if let Some(slot) = builder.scope_mut(index) {
                *slot = Scope {
                    name,
                    version,
                    attributes: Slice::default(),
                    dropped_attributes_count: 0,
                    schema_url: StrId::EMPTY,
                };
            }
            index
        })
    }
}

/// Adds a link to `trace_id`/`span_id` with its attributes: these formats
/// carry no trace state or flags on links.
pub(super) fn push_link(
    builder: &mut TraceSetBuilder,
    trace_id: &[u8],
    span_id: &[u8],
    attributes: Slice,
) {
    let link = builder.link(LinkRecord {
        trace_id,
        span_id,
        trace_state: StrId::EMPTY,
        attributes,
        dropped_attributes_count: 0,
        flags: 0,
    });
    builder.push_link(link);
}

/// A JSON error of one of these formats, said where it is: a file that
/// stops early is told as truncated.
pub(super) fn json_error(err: &serde_json::Error, format: &str) -> IngestError {
    if err.is_eof() {
        IngestError::Truncated {
            line: err.line(),
            column: err.column(),
        }
    } else {
        IngestError::Json {
            line: err.line(),
            column: err.column(),
            message: format!("in {format}: {err}"),
        }
    }
}

/// "412 lines of other output skipped", when any were.
pub(super) fn warn_skipped_lines(builder: &mut TraceSetBuilder, lines: usize) {
    if lines > 0 {
        builder.warn(
            WarningKind::SkippedText,
            format!(
                "{} of other output skipped",
                crate::format::count(lines, "line", "lines")
            ),
        );
    }
}
