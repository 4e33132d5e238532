//! The pieces every OTLP JSON message is made of: lists, strings, ids,
//! attributes and their values, resources and scopes.
//!
//! They are read with `DeserializeSeed`s that write into the builder as they
//! go: a string is interned from the input's own bytes (never copied into an
//! owned `String` first), an id is decoded into a stack buffer, and a list of
//! attributes is gathered in a reused scratch buffer and then stored in one
//! piece. This is why JSON loads at the speed of parsing, not of allocating.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::lenient::{self, Lenient};
use crate::model::ids::{IdKind, decode_id_text_into};
use crate::model::{Attribute, Slice, StrId, TraceSetBuilder, Value};

/// The builder, and scratch buffers reused across the whole input.
pub(super) struct Sink<'b> {
    pub builder: &'b mut TraceSetBuilder,
    /// Free buffers for the key-values of one list level; a nested list
    /// takes another, so the levels never mix.
    attribute_buffers: Vec<Vec<Attribute>>,
    value_buffers: Vec<Vec<Value>>,
}

impl<'b> Sink<'b> {
    pub fn new(builder: &'b mut TraceSetBuilder) -> Self {
        Self {
            builder,
            attribute_buffers: Vec::new(),
            value_buffers: Vec::new(),
        }
    }

    pub fn intern(&mut self, text: &str) -> StrId {
        self.builder.strings().intern(text)
    }
}

/// One message of a list: reads itself from one JSON value.
pub(super) trait Message<'de> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;
}

/// A JSON array of messages, each read by `M`; `null` is an empty list.
pub(super) struct List<'m, M>(pub &'m mut M);

impl<'de, M: Message<'de>> DeserializeSeed<'de> for List<'_, M> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, M: Message<'de>> Visitor<'de> for List<'_, M> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(One(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// One element of a [`List`].
struct One<'m, M>(&'m mut M);

impl<'de, M: Message<'de>> DeserializeSeed<'de> for One<'_, M> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.read(deserializer)
    }
}

/// Reads a string field into the interner, without an owned copy.
pub(super) struct Interned<'s, 'b>(pub &'s mut Sink<'b>);

impl<'de> DeserializeSeed<'de> for Interned<'_, '_> {
    type Value = StrId;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<StrId, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Interned<'_, '_> {
    type Value = StrId;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<StrId, E> {
        Ok(self.0.intern(text))
    }

    fn visit_unit<E: de::Error>(self) -> Result<StrId, E> {
        Ok(StrId::EMPTY)
    }
}

/// The bytes of an id, decoded into a stack buffer: 16 for a trace id, 8
/// for span ids (or a 64-bit trace id), 0 when absent.
#[derive(Clone, Copy, Default)]
pub(super) struct IdBytes {
    bytes: [u8; 16],
    len: usize,
}

impl IdBytes {
    pub fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

/// Reads a hex (or base64) id.
pub(super) struct Id(pub IdKind);

impl<'de> DeserializeSeed<'de> for Id {
    type Value = IdBytes;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<IdBytes, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Id {
    type Value = IdBytes;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} as a hex or base64 string", self.0.label())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<IdBytes, E> {
        let mut id = IdBytes::default();
        id.len = decode_id_text_into(text, self.0, &mut id.bytes).map_err(E::custom)?;
        Ok(id)
    }

    fn visit_unit<E: de::Error>(self) -> Result<IdBytes, E> {
        Ok(IdBytes::default())
    }
}

/// A list of key-values (`attributes`, `kvlistValue.values`), stored in one
/// contiguous run.
pub(super) struct Attributes<'s, 'b>(pub &'s mut Sink<'b>);

impl<'de> DeserializeSeed<'de> for Attributes<'_, '_> {
    type Value = Slice;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Slice, D::Error> {
        let mut level = KeyValues {
            pairs: self.0.attribute_buffers.pop().unwrap_or_default(),
            sink: &mut *self.0,
        };
        let read = List(&mut level).deserialize(deserializer);
        let KeyValues { mut pairs, sink } = level;
        let slice = sink.builder.append_attributes(&pairs);
        pairs.clear();
        sink.attribute_buffers.push(pairs);
        read.map(|()| slice)
    }
}

/// One level of key-values being read.
struct KeyValues<'s, 'b> {
    sink: &'s mut Sink<'b>,
    pairs: Vec<Attribute>,
}

/// The keys of a `KeyValue`.
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum KeyValueField {
    Key,
    Value,
    #[serde(other)]
    Other,
}

impl<'de> Message<'de> for KeyValues<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(KeyValueVisitor(self))
    }
}

struct KeyValueVisitor<'v, 's, 'b>(&'v mut KeyValues<'s, 'b>);

impl<'de> Visitor<'de> for KeyValueVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key-value object like {\"key\": \"...\", \"value\": {...}}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = &mut *self.0.sink;
        let mut key = StrId::EMPTY;
        let mut value = Value::Empty;
        while let Some(field) = map.next_key::<KeyValueField>()? {
            match field {
                KeyValueField::Key => key = map.next_value_seed(Interned(sink))?,
                KeyValueField::Value => value = map.next_value_seed(AnyValue(sink))?,
                KeyValueField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.0.pairs.push(Attribute { key, value });
        Ok(())
    }
}

/// An `AnyValue`: `{"stringValue": "x"}` and its siblings. `{}` and `null`
/// are the empty value; a `null` field is skipped; unknown keys are ignored.
pub(super) struct AnyValue<'s, 'b>(pub &'s mut Sink<'b>);

/// The keys of an `AnyValue` object, in both spellings.
#[derive(serde::Deserialize)]
#[serde(field_identifier)]
enum AnyValueField {
    #[serde(rename = "stringValue", alias = "string_value")]
    String,
    #[serde(rename = "boolValue", alias = "bool_value")]
    Bool,
    #[serde(rename = "intValue", alias = "int_value")]
    Int,
    #[serde(rename = "doubleValue", alias = "double_value")]
    Double,
    #[serde(rename = "arrayValue", alias = "array_value")]
    Array,
    #[serde(rename = "kvlistValue", alias = "kvlist_value")]
    Kvlist,
    #[serde(rename = "bytesValue", alias = "bytes_value")]
    Bytes,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for AnyValue<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attribute value object like {\"stringValue\": \"...\"}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Empty)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let sink = self.0;
        let mut value = Value::Empty;
        while let Some(field) = map.next_key::<AnyValueField>()? {
            let next = match field {
                AnyValueField::String => map
                    .next_value_seed(Nullable(Interned(sink)))?
                    .map(Value::Str),
                AnyValueField::Bool => map
                    .next_value::<Option<Lenient<bool>>>()?
                    .map(|b| Value::Bool(b.0)),
                AnyValueField::Int => map
                    .next_value::<Option<Lenient<i64>>>()?
                    .map(|i| Value::Int(i.0)),
                AnyValueField::Double => map
                    .next_value::<Option<Lenient<f64>>>()?
                    .map(|d| Value::Double(d.0)),
                AnyValueField::Array => map
                    .next_value_seed(Nullable(Values(sink)))?
                    .map(Value::Array),
                AnyValueField::Kvlist => map
                    .next_value_seed(Nullable(KvList(sink)))?
                    .map(Value::KvList),
                AnyValueField::Bytes => match map.next_value::<Option<lenient::Base64>>()? {
                    Some(bytes) => Some(sink.builder.append_bytes(&bytes.0)),
                    None => None,
                },
                AnyValueField::Other => {
                    map.next_value::<IgnoredAny>()?;
                    None
                }
            };
            if let Some(next) = next {
                value = next;
            }
        }
        Ok(value)
    }
}

/// A seed whose `null` reads as `None`, so that a `null` field does not
/// replace a value read before it.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

/// `kvlistValue`: `{"values": [key-values]}`.
struct KvList<'s, 'b>(&'s mut Sink<'b>);

/// `arrayValue`: `{"values": [values]}`.
struct Values<'s, 'b>(&'s mut Sink<'b>);

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ValuesField {
    Values,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for KvList<'_, '_> {
    type Value = Slice;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Slice, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KvList<'_, '_> {
    type Value = Slice;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a kvlistValue object like {\"values\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Slice, A::Error> {
        let mut slice = Slice::default();
        while let Some(field) = map.next_key::<ValuesField>()? {
            match field {
                ValuesField::Values => slice = map.next_value_seed(Attributes(&mut *self.0))?,
                ValuesField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(slice)
    }
}

impl<'de> DeserializeSeed<'de> for Values<'_, '_> {
    type Value = Slice;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Slice, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Values<'_, '_> {
    type Value = Slice;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an arrayValue object like {\"values\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Slice, A::Error> {
        let sink = self.0;
        let mut slice = Slice::default();
        while let Some(field) = map.next_key::<ValuesField>()? {
            match field {
                ValuesField::Values => {
                    let mut level = ValueList {
                        values: sink.value_buffers.pop().unwrap_or_default(),
                        sink: &mut *sink,
                    };
                    let read = map.next_value_seed(List(&mut level));
                    let ValueList { mut values, sink } = level;
                    slice = sink.builder.append_values(&values);
                    values.clear();
                    sink.value_buffers.push(values);
                    read?;
                }
                ValuesField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(slice)
    }
}

/// The elements of one array value being read.
struct ValueList<'s, 'b> {
    sink: &'s mut Sink<'b>,
    values: Vec<Value>,
}

impl<'de> Message<'de> for ValueList<'_, '_> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        let value = AnyValue(&mut *self.sink).deserialize(deserializer)?;
        self.values.push(value);
        Ok(())
    }
}

/// The keys of a `Resource`.
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ResourceField {
    Attributes,
    #[serde(alias = "dropped_attributes_count")]
    DroppedAttributesCount,
    #[serde(other)]
    Other,
}

/// Fills in the resource `index` (begun by the batch that holds it).
pub(super) struct Resource<'s, 'b> {
    pub sink: &'s mut Sink<'b>,
    pub index: u32,
}

impl<'de> DeserializeSeed<'de> for Resource<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Resource<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resource object like {\"attributes\": [...]}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = self.sink;
        let (mut attributes, mut dropped) = (Slice::default(), 0);
        while let Some(field) = map.next_key::<ResourceField>()? {
            match field {
                ResourceField::Attributes => attributes = map.next_value_seed(Attributes(sink))?,
                ResourceField::DroppedAttributesCount => {
                    dropped = map.next_value::<Lenient<u32>>()?.0;
                }
                ResourceField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        sink.builder
            .set_resource_attributes(self.index, attributes, dropped);
        Ok(())
    }
}

/// The keys of an `InstrumentationScope`.
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ScopeField {
    Name,
    Version,
    Attributes,
    #[serde(alias = "dropped_attributes_count")]
    DroppedAttributesCount,
    #[serde(other)]
    Other,
}

/// Fills in the scope `index` (begun by the scope's list of spans or logs).
pub(super) struct Scope<'s, 'b> {
    pub sink: &'s mut Sink<'b>,
    pub index: u32,
}

impl<'de> DeserializeSeed<'de> for Scope<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scope<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an instrumentation scope object like {\"name\": \"...\"}")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = self.sink;
        let (mut name, mut version) = (StrId::EMPTY, StrId::EMPTY);
        let (mut attributes, mut dropped) = (Slice::default(), 0);
        while let Some(field) = map.next_key::<ScopeField>()? {
            match field {
                ScopeField::Name => name = map.next_value_seed(Interned(sink))?,
                ScopeField::Version => version = map.next_value_seed(Interned(sink))?,
                ScopeField::Attributes => attributes = map.next_value_seed(Attributes(sink))?,
                ScopeField::DroppedAttributesCount => {
                    dropped = map.next_value::<Lenient<u32>>()?.0;
                }
                ScopeField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(scope) = sink.builder.scope_mut(self.index) {
            scope.name = name;
            scope.version = version;
            scope.attributes = attributes;
            scope.dropped_attributes_count = dropped;
        }
        Ok(())
    }
}
