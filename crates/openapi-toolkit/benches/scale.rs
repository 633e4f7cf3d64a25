//! The toolkit on generated Stripe-like documents of three sizes (1x, 4x, 16x): lint, bundle and diff timed in
//! process, with the document's size, its examples and the example check's units of work, to show how the cost
//! grows. `-- --write DIR` writes the documents instead, for `scale.sh` to time the command with hyperfine.

mod spec_gen;

use std::time::{Duration, Instant};

use openapi_toolkit::diff::{self, Pair};
use openapi_toolkit::lint::{self, Ruleset};
use openapi_toolkit::{Document, bundle};

const SCALES: [usize; 3] = [1, 4, 16];

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut work: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(work());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let dir = std::path::PathBuf::from(args.get(at + 1).expect("--write DIR"));
        std::fs::create_dir_all(&dir).expect("creating the output directory");
        for scale in SCALES {
            for (revision, suffix) in [(0, ""), (1, "-next")] {
                let path = dir.join(format!("api-{scale}x{suffix}.json"));
                let text = serde_json::to_string_pretty(&spec_gen::generate(scale, revision)).expect("JSON");
                std::fs::write(&path, text).expect("writing a generated document");
                println!("wrote {}", path.display());
            }
        }
        return;
    }
    // `cargo bench` passes `--bench`; anything else is ignored.
    println!("| scale | size | operations | examples | check units | parse | lint | bundle | diff with next |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for scale in SCALES {
        let text = serde_json::to_string_pretty(&spec_gen::generate(scale, 0)).unwrap();
        let next = serde_json::to_string_pretty(&spec_gen::generate(scale, 1)).unwrap();
        let runs = if scale == 16 { 3 } else { 5 };
        let parse = time(runs, || Document::parse("api.json", text.as_str()).unwrap());
        let document = Document::parse("api.json", text.as_str()).unwrap();
        let head = Document::parse("next.json", next.as_str()).unwrap();
        let examples = openapi_check::spec_examples(document.value()).unwrap();
        let mut checker = openapi_check::Checker::new(document.value());
        for result in checker.check_all(&examples) {
            result.unwrap();
        }
        let lint = time(runs, || lint::lint_with(&document, &Ruleset::recommended()));
        let bundle = time(runs, || bundle::render(&document, "bench", None).unwrap());
        let diff = time(runs, || {
            diff::compare(Pair {
                base: &document,
                head: &head,
            })
        });
        println!(
            "| {scale}x | {:.1} MB | {} | {} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            text.len() as f64 / 1e6,
            document.operations().len(),
            examples.len(),
            checker.work(),
            parse.as_secs_f64() * 1e3,
            lint.as_secs_f64() * 1e3,
            bundle.as_secs_f64() * 1e3,
            diff.as_secs_f64() * 1e3,
        );
    }
}
