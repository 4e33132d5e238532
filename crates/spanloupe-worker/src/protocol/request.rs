//! The page's request: what to load, and for a file read in parts, which
//! part.

use js_sys::{Array, Object, Uint8Array};
use spanloupe_core::ingest::DataList;
use spanloupe_core::ingest::split::Part;
use wasm_bindgen::{JsCast, JsValue};

use super::ProtocolError;
use crate::js::{count, get, number, number_of, offset, set};

/// Load these inputs together; or, with a `file_part`, that part of the one
/// input's file.
pub struct Request {
    pub inputs: Vec<RequestInput>,
    pub file_part: Option<FilePart>,
    /// For a file's first part: how many other parts this worker joins.
    pub join: usize,
}

pub struct RequestInput {
    pub name: String,
    pub content_type: Option<String>,
    pub content: InputContent,
}

pub enum InputContent {
    /// Bytes the page read (transferred).
    Bytes(Uint8Array),
    /// A file the worker reads itself: the page never holds its bytes.
    File(web_sys::Blob),
}

/// The part of a file a request names, as the page planned it
/// (`spanloupe_core::ingest::split`).
pub struct FilePart {
    pub part: Part,
    /// It starts at the file's start.
    pub first: bool,
    /// The bytes to put before and after the part's own.
    pub prefix: Vec<u8>,
    pub suffix: Vec<u8>,
}

const INPUTS: &str = "inputs";
const FILE_PART: &str = "filePart";
const JOIN: &str = "join";
const NAME: &str = "name";
const CONTENT_TYPE: &str = "contentType";
const BYTES: &str = "bytes";
const FILE: &str = "file";
const START: &str = "start";
const END: &str = "end";
const FIRST: &str = "first";
const OPENS: &str = "opens";
const CLOSES: &str = "closes";
const PREFIX: &str = "prefix";
const SUFFIX: &str = "suffix";

const REQUEST: &str = "request";

impl Request {
    pub(super) fn encode_into(&self, message: &Object, transfer: &Array) {
        let inputs = Array::new();
        for input in &self.inputs {
            inputs.push(&input.encode(transfer));
        }
        set(message, INPUTS, &inputs);
        if let Some(file_part) = &self.file_part {
            set(message, FILE_PART, &file_part.encode());
        }
        set(message, JOIN, &number_of(self.join).into());
    }

    pub(super) fn decode(message: &JsValue) -> Result<Request, ProtocolError> {
        let inputs: Array = get(message, INPUTS)
            .dyn_into()
            .map_err(|_| ProtocolError::missing(REQUEST, INPUTS))?;
        let file_part = get(message, FILE_PART);
        Ok(Request {
            inputs: inputs
                .iter()
                .map(|input| RequestInput::decode(&input))
                .collect::<Result<_, _>>()?,
            file_part: if file_part.is_undefined() {
                None
            } else {
                Some(FilePart::decode(&file_part)?)
            },
            join: get(message, JOIN).as_f64().map_or(0, count),
        })
    }
}

impl RequestInput {
    fn encode(&self, transfer: &Array) -> Object {
        let input = Object::new();
        set(&input, NAME, &JsValue::from_str(&self.name));
        let content_type = self
            .content_type
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        set(&input, CONTENT_TYPE, &content_type);
        match &self.content {
            InputContent::Bytes(bytes) => {
                transfer.push(&bytes.buffer());
                set(&input, BYTES, bytes);
            }
            InputContent::File(file) => set(&input, FILE, file),
        }
        input
    }

    fn decode(input: &JsValue) -> Result<RequestInput, ProtocolError> {
        let content = match get(input, BYTES).dyn_into::<Uint8Array>() {
            Ok(bytes) => InputContent::Bytes(bytes),
            Err(_) => InputContent::File(
                get(input, FILE)
                    .dyn_into()
                    .map_err(|_| ProtocolError::missing("request's input", "bytes or file"))?,
            ),
        };
        Ok(RequestInput {
            name: get(input, NAME).as_string().unwrap_or_default(),
            content_type: get(input, CONTENT_TYPE).as_string(),
            content,
        })
    }
}

impl FilePart {
    fn encode(&self) -> Object {
        let spec = Object::new();
        let offset = |at: u64| JsValue::from_f64(number(at));
        set(&spec, START, &offset(self.part.range.start));
        set(&spec, END, &offset(self.part.range.end));
        set(&spec, FIRST, &JsValue::from_bool(self.first));
        let list =
            |list: Option<DataList>| list.map_or(JsValue::NULL, |l| JsValue::from_str(l.name()));
        set(&spec, OPENS, &list(self.part.opens));
        set(&spec, CLOSES, &list(self.part.closes));
        set(&spec, PREFIX, &Uint8Array::from(self.prefix.as_slice()));
        set(&spec, SUFFIX, &Uint8Array::from(self.suffix.as_slice()));
        spec
    }

    fn decode(value: &JsValue) -> Result<FilePart, ProtocolError> {
        let number = |key| {
            get(value, key)
                .as_f64()
                .map(offset)
                .ok_or_else(|| ProtocolError::missing(FILE_PART, key))
        };
        let list = |key| {
            get(value, key)
                .as_string()
                .and_then(|name| DataList::from_name(&name))
        };
        let bytes = |key| {
            get(value, key)
                .dyn_into::<Uint8Array>()
                .map(|bytes| bytes.to_vec())
                .unwrap_or_default()
        };
        Ok(FilePart {
            part: Part {
                range: number(START)?..number(END)?,
                opens: list(OPENS),
                closes: list(CLOSES),
            },
            first: get(value, FIRST).is_truthy(),
            prefix: bytes(PREFIX),
            suffix: bytes(SUFFIX),
        })
    }
}
