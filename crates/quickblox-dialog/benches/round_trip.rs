//! Criterion benches: a `create_dialog` round trip through the generated client beside the same request by hand with reqwest, the per-call (de)serialization, and a list walked page by page.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use quickblox_dialog::types::{CreateDialogRequest, Dialog, DialogListResult};
use quickblox_dialog::{Client, DialogQuery, DialogType};
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

/// The spec's get example with the id ending in `n`.
fn dialog(n: usize) -> serde_json::Value {
    let spec = support::spec();
    let (_, _, mut value) = support::response_examples_of(&spec, support::GET)
        .into_iter()
        .find(|(status, _, _)| status == "200")
        .expect("get_dialog has a 200 example");
    value["_id"] = format!("5d75393ba28f9a17e1cb{n:04x}").into();
    value
}

/// `total` dialogs in pages of `limit`, each page's body made once, keyed by its `skip`.
fn pages(total: usize, limit: usize) -> Vec<Vec<u8>> {
    (0..total)
        .step_by(limit)
        .map(|skip| {
            let items: Vec<_> = (skip..total.min(skip + limit)).map(dialog).collect();
            let page = serde_json::json!({"total_entries": total, "skip": skip, "limit": limit, "items": items});
            serde_json::to_vec(&page).unwrap()
        })
        .collect()
}

fn list_walk(c: &mut Criterion) {
    const TOTAL: usize = 1000;
    const LIMIT: usize = 100;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let bodies = pages(TOTAL, LIMIT);
    let page = bodies[0].clone();
    let server = runtime.block_on(support::LoopbackServer::start_computed(move |request| {
        let skip: usize = request.query("skip").map_or(0, |skip| skip.parse().unwrap());
        (200, bodies[skip / LIMIT].clone())
    }));
    let client = Client::with_session_token(&server.base_url, TOKEN).unwrap();
    let query = DialogQuery::new().type_eq(DialogType::Group).limit(LIMIT as u32);
    c.bench_function("list_walk_1000_dialogs_in_pages_of_100", |b| {
        b.to_async(&runtime).iter(|| async {
            let all = client.dialogs(query.clone()).collect_all().await.unwrap();
            assert_eq!(all.len(), TOTAL);
            black_box(all)
        })
    });
    c.bench_function("decode_page_of_100", |b| {
        b.iter(|| serde_json::from_slice::<DialogListResult>(black_box(&page)).unwrap())
    });
}

criterion_group!(benches, round_trip, per_call, list_walk);
criterion_main!(benches);
