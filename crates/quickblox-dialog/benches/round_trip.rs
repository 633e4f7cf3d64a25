//! Criterion benches: a `create_dialog` round trip through the generated client beside the same request by hand with reqwest, and the per-call (de)serialization.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use quickblox_dialog::types::{CreateDialogRequest, Dialog};
use quickblox_dialog::{Client, DialogType};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};

const TOKEN: &str = "eddf864695d72d33b959eec2ae6c640d817dfada";

fn request() -> CreateDialogRequest {
    CreateDialogRequest {
        name: Some("New Year party".try_into().unwrap()),
        occupants_ids: Some(vec![96831397, 96831328, 96830631, 96754523].into()),
        photo: Some("68123".to_string()),
        ..CreateDialogRequest::new(DialogType::Group)
    }
}

/// The spec's private-dialog success example, as the server's canned answer.
fn success_body() -> Vec<u8> {
    let spec = support::spec();
    let (_, _, value) = support::response_examples(&spec)
        .into_iter()
        .find(|(status, name, _)| status == "201" && name == "private")
        .expect("the spec has a 201 example named private");
    serde_json::to_vec(&value).unwrap()
}

fn round_trip(c: &mut Criterion) {
    // One thread runs both ends, so that neither side gets a core the other lacks.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(support::LoopbackServer::start_unrecorded(201, success_body()));
    let generated = Client::with_session_token(&server.base_url, TOKEN).unwrap();

    // The same request written by hand: same headers, same body, decoded into the same type, so
    // that the difference is what the generated layer adds (builder, conversions, hooks, status match).
    let mut headers = HeaderMap::new();
    let mut token = HeaderValue::from_static(TOKEN);
    token.set_sensitive(true);
    headers.insert("qb-token", token);
    // The same timeouts as the generated client's constructors: a timer per request is part of
    // what any careful client pays, not of what generation adds.
    let timeout = std::time::Duration::from_secs(15);
    let by_hand = reqwest::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .default_headers(headers)
        .build()
        .unwrap();
    let url = format!("{}/chat/Dialog.json", server.base_url);

    let body = request();
    let mut group = c.benchmark_group("create_dialog_round_trip");
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime).iter(|| async {
            let dialog = generated.create_dialog().body(body.clone()).send().await.unwrap();
            black_box(dialog.into_inner())
        })
    });
    group.bench_function("hand_written_reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = by_hand
                .post(&url)
                .header(ACCEPT, "application/json")
                .json(&body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 201);
            black_box(response.json::<Dialog>().await.unwrap())
        })
    });
    group.finish();
}

fn per_call(c: &mut Criterion) {
    let body = request();
    let response = success_body();
    c.bench_function("serialize_request", |b| {
        b.iter(|| serde_json::to_vec(black_box(&body)).unwrap())
    });
    c.bench_function("decode_response", |b| {
        b.iter(|| serde_json::from_slice::<Dialog>(black_box(&response)).unwrap())
    });
}

criterion_group!(benches, round_trip, per_call);
criterion_main!(benches);
