//! The page↔worker messages survive their JS encoding (headless Chromium,
//! as tests/web.rs): every message decodes to what was encoded, its
//! buffers are listed for transfer, and a message not of the protocol is an
//! error that says what is wrong, never a panic.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::{Object, Reflect, Uint8Array};
use spanloupe_core::IngestError;
use spanloupe_core::ingest::DataList;
use spanloupe_core::ingest::limits::Measured;
use spanloupe_core::ingest::split::Part;
use spanloupe_core::transfer::TransferError;
use spanloupe_worker::protocol::{
    FilePart, FromWorker, InputContent, ProtocolError, Request, RequestInput, Timings, ToWorker,
    WorkerError,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn to_worker(message: &ToWorker) -> ToWorker {
    ToWorker::decode(&message.encode().message).unwrap()
}

fn from_worker(message: &FromWorker) -> FromWorker {
    FromWorker::decode(&message.encode().message).unwrap()
}

#[wasm_bindgen_test]
fn a_request_arrives_with_its_inputs_and_file_part() {
    let blob = web_sys::Blob::new().unwrap();
    let request = ToWorker::Request(Request {
        inputs: vec![
            RequestInput {
                name: "traces.json".to_owned(),
                content_type: Some("application/json".to_owned()),
                content: InputContent::Bytes(Uint8Array::from(&b"{}"[..])),
            },
            RequestInput {
                name: "big.json".to_owned(),
                content_type: None,
                content: InputContent::File(blob),
            },
        ],
        file_part: Some(FilePart {
            part: Part {
                range: 16_777_216..5_000_000_000,
                opens: Some(DataList::Spans),
                closes: None,
            },
            first: false,
            prefix: b"{\"resourceSpans\":[".to_vec(),
            suffix: Vec::new(),
        }),
        join: 3,
    });
    let encoded = request.encode();
    assert_eq!(
        encoded.transfer.length(),
        1,
        "the bytes' buffer is transferred"
    );
    let ToWorker::Request(arrived) = ToWorker::decode(&encoded.message).unwrap() else {
        panic!("not a request");
    };
    assert_eq!(arrived.join, 3);
    let [bytes, file] = arrived.inputs.as_slice() else {
        panic!("two inputs");
    };
    assert_eq!(bytes.name, "traces.json");
    assert_eq!(bytes.content_type.as_deref(), Some("application/json"));
    assert!(matches!(&bytes.content, InputContent::Bytes(b) if b.to_vec() == b"{}"));
    assert_eq!(file.name, "big.json");
    assert_eq!(file.content_type, None);
    assert!(matches!(file.content, InputContent::File(_)));
    let part = arrived.file_part.unwrap();
    assert_eq!(part.part.range, 16_777_216..5_000_000_000);
    assert_eq!(part.part.opens, Some(DataList::Spans));
    assert_eq!(part.part.closes, None);
    assert!(!part.first);
    assert_eq!(part.prefix, b"{\"resourceSpans\":[");
    assert!(part.suffix.is_empty());
}

#[wasm_bindgen_test]
fn a_relayed_part_arrives_with_its_bytes_or_as_lost() {
    let parts = vec![
        Uint8Array::from(&[1u8, 2][..]),
        Uint8Array::from(&[3u8][..]),
    ];
    let encoded = ToWorker::Joined(Some(parts)).encode();
    assert_eq!(encoded.transfer.length(), 2);
    let ToWorker::Joined(Some(arrived)) = ToWorker::decode(&encoded.message).unwrap() else {
        panic!("not a joined part");
    };
    let bytes: Vec<Vec<u8>> = arrived.iter().map(Uint8Array::to_vec).collect();
    assert_eq!(bytes, vec![vec![1, 2], vec![3]]);
    assert!(matches!(
        to_worker(&ToWorker::Joined(None)),
        ToWorker::Joined(None)
    ));
}

#[wasm_bindgen_test]
fn the_workers_messages_arrive_as_sent() {
    assert!(matches!(from_worker(&FromWorker::Ready), FromWorker::Ready));
    assert!(matches!(
        from_worker(&FromWorker::Progress {
            read: 3_000_000_000,
            total: 4_000_000_000
        }),
        FromWorker::Progress {
            read: 3_000_000_000,
            total: 4_000_000_000
        }
    ));
    let part = FromWorker::Part(Uint8Array::from(&[7u8, 8, 9][..]));
    assert_eq!(part.encode().transfer.length(), 1);
    assert!(matches!(from_worker(&part), FromWorker::Part(b) if b.to_vec() == [7, 8, 9]));
    let genai = FromWorker::GenAi(Uint8Array::from(&[4u8][..]));
    assert!(matches!(from_worker(&genai), FromWorker::GenAi(b) if b.to_vec() == [4]));
}

#[wasm_bindgen_test]
fn the_last_message_carries_the_error_as_an_enum_and_the_timings_by_name() {
    let timings = Timings {
        read_ms: Some(12.0),
        load_ms: Some(340.0),
        file_parts: Some(2.0),
        other_workers: vec![Timings {
            read_ms: Some(11.0),
            ..Timings::default()
        }],
        ..Timings::default()
    };
    let errors = [
        WorkerError::Refused {
            input: "huge.json".to_owned(),
            error: IngestError::TooLarge {
                what: Measured::File,
                size: 2_100_000_000,
                over: false,
            },
        },
        WorkerError::Transfer(TransferError::UnknownPart(200)),
        WorkerError::Panicked("panicked at src/x.rs:1:1".to_owned()),
    ];
    for error in errors {
        let done = FromWorker::Done {
            outcome: Err(error.clone()),
            timings: Box::new(timings.clone()),
        };
        let FromWorker::Done {
            outcome,
            timings: arrived,
        } = from_worker(&done)
        else {
            panic!("not done");
        };
        assert_eq!(outcome, Err(error));
        assert_eq!(*arrived, timings);
    }
    // The benchmark reads the timings by these names.
    let encoded = timings.encode();
    let read = |key: &str| Reflect::get(&encoded, &key.into()).unwrap().as_f64();
    assert_eq!(read("readMs"), Some(12.0));
    assert_eq!(read("fileParts"), Some(2.0));
    assert_eq!(read("encodeMs"), None);
    let done = from_worker(&FromWorker::Done {
        outcome: Ok(()),
        timings: Box::default(),
    });
    assert!(matches!(
        done,
        FromWorker::Done {
            outcome: Ok(()),
            ..
        }
    ));
}

#[wasm_bindgen_test]
fn a_message_not_of_the_protocol_says_what_is_wrong() {
    let object = |pairs: &[(&str, JsValue)]| {
        let message = Object::new();
        for (key, value) in pairs {
            Reflect::set(&message, &(*key).into(), value).unwrap();
        }
        JsValue::from(message)
    };
    let error = FromWorker::decode(&object(&[("type", "shout".into())])).err();
    assert_eq!(error, Some(ProtocolError::UnknownType("shout".to_owned())));
    let error = FromWorker::decode(&object(&[("type", "part".into())])).err();
    assert_eq!(
        error.map(|e| e.to_string()),
        Some("a part message came without its bytes".to_owned())
    );
    assert!(FromWorker::decode(&JsValue::NULL).is_err());
    assert!(ToWorker::decode(&object(&[("type", "request".into())])).is_err());
    // An error the page cannot read is kept as the text it came as.
    let done = object(&[("type", "done".into()), ("error", "out of cheese".into())]);
    let Ok(FromWorker::Done { outcome, .. }) = FromWorker::decode(&done) else {
        panic!("a done message");
    };
    assert!(outcome.unwrap_err().to_string().contains("out of cheese"));
}
