//! The worker's reply survives the trip to the page: the decoded set is the
//! same model, lookups included (the string table is rebuilt on arrival).

mod common;

use common::{corpus_bytes, span_named};
use spanloupe_core::genai::llm_call;
use spanloupe_core::ingest::transfer::{decode, encode, load_reply};
use spanloupe_core::ingest::{Input, Source};

#[test]
fn a_traces_file_and_its_logs_file_arrive_whole() {
    let names = [
        "generated-openai-v2-legacy-events.traces.json",
        "generated-openai-v2-legacy-events.logs.json",
        "zipkin-yelp.json",
    ];
    let bytes: Vec<Vec<u8>> = names.iter().map(|n| corpus_bytes(n)).collect();
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
    let sent = load_reply(&inputs);
    let received = decode(&encode(&sent).unwrap()).unwrap();

    assert_eq!(received.outcomes.len(), 3);
    assert_eq!(received.outcomes[0], sent.outcomes[0]);
    assert!(
        received.outcomes[2]
            .as_ref()
            .is_err_and(|err| err.contains("Zipkin")),
        "errors arrive as their text: {:?}",
        received.outcomes[2]
    );
    let (before, after) = (sent.set.unwrap(), received.set.unwrap());
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
fn a_damaged_reply_is_an_error_not_a_panic() {
    let names = ["otelproto-trace.json"];
    let bytes = corpus_bytes(names[0]);
    let reply = load_reply(&[Input {
        bytes: &bytes,
        source: Source::default(),
    }]);
    let encoded = encode(&reply).unwrap();
    for cut in [0, 1, encoded.len() / 2, encoded.len() - 1] {
        assert!(decode(&encoded[..cut]).is_err(), "cut at {cut}");
    }
    let mut flipped = encoded.clone();
    for byte in flipped.iter_mut().step_by(7) {
        *byte ^= 0xff;
    }
    // Any outcome but a panic: garbage may still decode to something.
    let _ = decode(&flipped);
}
