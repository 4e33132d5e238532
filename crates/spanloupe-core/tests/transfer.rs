//! The worker's reply survives the trip to the page: the decoded set is the
//! same model, lookups included (the string table is rebuilt on arrival).

mod common;

use common::{corpus_bytes, span_named};
use spanloupe_core::IngestError;
use spanloupe_core::genai::{TraceGenAi, llm_call};
use spanloupe_core::ingest::{Input, LoadedInputs, Source, load_many};
use spanloupe_core::transfer::{
    self, Decoder, TransferError, decode_genai, encode, encode_each, encode_genai,
};

/// A whole load's reply from its parts.
fn decode<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Result<LoadedInputs, TransferError> {
    transfer::decode(parts)
}

#[test]
fn a_traces_file_and_its_logs_file_arrive_whole() {
    let names = [
        "generated-openai-v2-legacy-events.traces.json",
        "generated-openai-v2-legacy-events.logs.json",
        "zipkin-v1.json",
    ];
    // Zipkin's v1 JSON is recognised, not read: an error to carry across.
    let zipkin_v1 = br#"[{"traceId":"a03ee8fff1dcd9b9","id":"15fc03927f0f68df","name":"post","binaryAnnotations":[{"key":"k","value":"v"}]}]"#;
    let bytes: Vec<Vec<u8>> = vec![
        corpus_bytes(names[0]),
        corpus_bytes(names[1]),
        zipkin_v1.to_vec(),
    ];
    let inputs: Vec<Input> = names
        .iter()
        .zip(&bytes)
        .map(|(name, bytes)| Input {
            bytes,
            source: Source {
                name: Some(name),
                content_type: None,
            },
        })
        .collect();
    let sent = load_many(&inputs);
    let (outcomes, before) = (sent.outcomes.clone(), sent.set.clone());
    let parts = encode(&sent).unwrap();
    let received = decode(parts.iter().map(Vec::as_slice)).unwrap();

    assert_eq!(received.outcomes.len(), 3);
    assert_eq!(received.outcomes, outcomes);
    assert!(
        received.outcomes[2].as_ref().is_err_and(
            |err| matches!(err, IngestError::Unsupported(what) if what.contains("Zipkin"))
        ),
        "errors arrive as they were: {:?}",
        received.outcomes[2]
    );
    let (before, after) = (before.unwrap(), received.set.unwrap());
    let outline = |set: &spanloupe_core::TraceSet| {
        set.traces
            .iter()
            .map(|t| set.outline(t))
            .collect::<Vec<_>>()
    };
    assert_eq!(outline(&after), outline(&before));
    assert_eq!(after.logs.len(), before.logs.len());
    // Interned lookups, id lookups and log correlation work on arrival.
    assert_eq!(
        after.strings.lookup("gen_ai.operation.name"),
        before.strings.lookup("gen_ai.operation.name")
    );
    let chat = span_named(&after, "chat gpt-4o-mini");
    let span = after.span(chat).unwrap();
    assert_eq!(after.find_span(span.trace_id, span.span_id), Some(chat));
    assert_eq!(
        after.logs_of_span(chat).len(),
        before.logs_of_span(chat).len()
    );
    assert_eq!(llm_call(&after, chat), llm_call(&before, chat));
}

#[test]
fn a_packed_reply_unpacks_to_the_same_model_and_a_cut_one_is_an_error() {
    let bytes = corpus_bytes("generated-openai-v2-latest.traces.json");
    let reply = load_many(&[Input {
        bytes: &bytes,
        source: Source::default(),
    }]);
    let packed = transfer::pack(&encode(&reply).unwrap()).unwrap();
    let unpacked: LoadedInputs = transfer::unpack(&packed).unwrap();
    assert_eq!(unpacked.outcomes, reply.outcomes);
    let (before, after) = (reply.set.unwrap(), unpacked.set.unwrap());
    assert_eq!(
        after
            .traces
            .iter()
            .map(|t| after.outline(t))
            .collect::<Vec<_>>(),
        before
            .traces
            .iter()
            .map(|t| before.outline(t))
            .collect::<Vec<_>>()
    );
    for cut in [1, 3, 4, 5, packed.len() / 2, packed.len() - 1] {
        assert!(
            transfer::unpack::<LoadedInputs>(&packed[..cut]).is_err(),
            "cut at {cut}"
        );
    }
}

#[test]
fn the_genai_spans_of_every_trace_arrive_as_found() {
    let bytes = corpus_bytes("generated-openai-v2-latest.traces.json");
    let reply = load_many(&[Input {
        bytes: &bytes,
        source: Source::default(),
    }]);
    let set = reply.set.unwrap();
    let found = TraceGenAi::of_each(&set);
    assert_eq!(found.len(), set.traces.len());
    assert!(
        found.iter().any(|g| !g.is_empty()),
        "the file has GenAI spans"
    );
    let bytes = encode_genai(&found).unwrap();
    assert_eq!(decode_genai(&bytes).unwrap(), found);
    assert!(decode_genai(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn a_large_set_comes_in_many_parts() {
    let request = chain_trace(40_000);
    let reply = load_many(&[Input {
        bytes: request.as_bytes(),
        source: Source::default(),
    }]);
    let spans = reply.set.as_ref().unwrap().spans.len();
    let parts = encode(&reply).unwrap();
    assert!(parts.len() > 3, "{} parts", parts.len());
    let received = decode(parts.iter().map(Vec::as_slice)).unwrap();
    assert_eq!(received.set.unwrap().spans.len(), spans);
}

#[test]
fn parts_are_decoded_as_they_are_sent_and_a_failed_send_stops_the_rest() {
    let request = chain_trace(40_000);
    let input = Input {
        bytes: request.as_bytes(),
        source: Source::default(),
    };
    // The page decodes each part as it arrives, while the worker encodes
    // the next: the same model as decoding them all at the end.
    let mut decoder = Decoder::<LoadedInputs>::new();
    let mut sent = 0;
    encode_each(&load_many(&[input]), |part| {
        sent += 1;
        decoder.push(&part)
    })
    .unwrap();
    let all_at_once = encode(&load_many(&[input])).unwrap();
    assert_eq!(sent, all_at_once.len());
    let (streamed, whole) = (
        decoder.finish().unwrap().set.unwrap(),
        decode(all_at_once.iter().map(Vec::as_slice))
            .unwrap()
            .set
            .unwrap(),
    );
    let outline = |set: &spanloupe_core::TraceSet| {
        set.traces
            .iter()
            .map(|t| set.outline(t))
            .collect::<Vec<_>>()
    };
    assert_eq!(outline(&streamed), outline(&whole));
    assert_eq!(streamed.spans.len(), 40_000);
    assert_eq!(streamed.attributes, whole.attributes);

    // A part that cannot be posted ends the encoding with its error.
    let mut tried = 0;
    let error = encode_each(&load_many(&[input]), |_| {
        tried += 1;
        if tried == 2 {
            Err(TransferError::Unencodable("the page is gone".to_owned()))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert_eq!(
        error,
        TransferError::Unencodable("the page is gone".to_owned())
    );
    assert_eq!(tried, 2);
}

#[test]
fn a_huge_string_table_comes_in_parts_of_a_few_megabytes() {
    // 9 MB of a 3-byte character: the table's text is cut between
    // characters, and no part holds the whole of it.
    let huge = "€".repeat(3_000_000);
    let request = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"big","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{{"key":"prompt","value":{{"stringValue":"{huge}"}}}}]}}]}}]}}]}}"#
    );
    let reply = load_many(&[Input {
        bytes: request.as_bytes(),
        source: Source::default(),
    }]);
    let text_bytes = reply.set.as_ref().unwrap().strings.text_bytes();
    assert!(text_bytes > 9_000_000, "{text_bytes}");
    let parts = encode(&reply).unwrap();
    let largest = parts.iter().map(Vec::len).max().unwrap();
    assert!(largest <= 2_100_000, "a part of {largest} bytes");
    assert!(parts.len() >= 5, "{} parts", parts.len());
    let set = decode(parts.iter().map(Vec::as_slice))
        .unwrap()
        .set
        .unwrap();
    assert_eq!(set.strings.text_bytes(), text_bytes);
    let id = set
        .strings
        .lookup(&huge)
        .expect("the huge value is interned");
    assert_eq!(set.strings.get(id), huge);
    assert_eq!(
        set.strings.lookup("prompt").map(|id| set.strings.get(id)),
        Some("prompt")
    );

    // Without its last piece of text, the table is incomplete: an error.
    let last_text = parts
        .iter()
        .rposition(|part| part.len() > 1_000_000)
        .unwrap();
    let without = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != last_text)
        .map(|(_, part)| part.as_slice());
    let error = decode(without).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("string table arrived incomplete"),
        "{error}"
    );
}

#[test]
fn nothing_loaded_arrives_as_nothing() {
    let reply = load_many(&[Input {
        bytes: b"{}",
        source: Source::default(),
    }]);
    let parts = encode(&reply).unwrap();
    let received = decode(parts.iter().map(Vec::as_slice)).unwrap();
    assert!(received.set.is_none());
    assert_eq!(received.outcomes.len(), 1);
    assert!(received.outcomes[0].is_err());
}

#[test]
fn a_damaged_reply_is_an_error_not_a_panic() {
    let bytes = corpus_bytes("otelproto-trace.json");
    let reply = load_many(&[Input {
        bytes: &bytes,
        source: Source::default(),
    }]);
    let parts = encode(&reply).unwrap();
    let head = &parts[0];
    for cut in [0, 1, head.len() / 2, head.len() - 1] {
        assert!(decode([&head[..cut]]).is_err(), "cut at {cut}");
    }
    assert!(
        decode(parts.iter().skip(1).map(Vec::as_slice)).is_err(),
        "parts without their head"
    );
    let mut flipped = head.clone();
    for byte in flipped.iter_mut().step_by(7) {
        *byte ^= 0xff;
    }
    // Any outcome but a panic: garbage may still decode to something.
    let _ = decode([flipped.as_slice()]);

    // After the head: the string table's ends and its text (one part each
    // for a small file), then the spans.
    let (ends, text, spans) = (&parts[1], &parts[2], &parts[3]);
    let with = |part: &[u8]| decode([head.as_slice(), ends, text, part]);
    assert!(with(spans).is_ok());
    // A part of an unknown kind, and an array part cut short.
    let mut unknown = spans.clone();
    unknown[0] = 200;
    assert_eq!(with(&unknown).unwrap_err(), TransferError::UnknownPart(200));
    for cut in [1, 2, spans.len() / 2, spans.len() - 1] {
        assert!(with(&spans[..cut]).is_err(), "spans cut at {cut}");
    }
    // The string table cut short, or its text cut inside a character.
    for cut in [1, 2, ends.len() / 2, ends.len() - 1] {
        assert!(
            decode([head.as_slice(), &ends[..cut], text, spans]).is_err(),
            "ends cut at {cut}"
        );
    }
    for cut in [1, 2, text.len() / 2, text.len() - 1] {
        assert!(
            decode([head.as_slice(), ends, &text[..cut], spans]).is_err(),
            "text cut at {cut}"
        );
    }
}

/// OTLP JSON of one trace with `n` spans in a chain of 10 levels.
fn chain_trace(n: usize) -> String {
    let spans: Vec<String> = (0..n)
        .map(|i| {
            let parent = if i % 10 == 0 {
                String::new()
            } else {
                format!("{:016x}", i)
            };
            format!(
                r#"{{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"{:016x}","parentSpanId":"{parent}","name":"span {i}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"i","value":{{"intValue":"{i}"}}}}]}}"#,
                i + 1,
                1000 + i,
                2000 + i
            )
        })
        .collect();
    format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
        spans.join(",")
    )
}
