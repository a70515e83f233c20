//! JSON-lines records keep one identity wherever they sit: their id, the
//! field a finding is in, the place in that field's own text, and the
//! fingerprint baselines match by, whatever dump, shard, line or stream
//! carries them.

mod common;

use common::{clearance, clearance_stdin, json, write};
use serde_json::{Value, json};

/// Three articles: Arabic text with escapes, English HTML with an entity,
/// Hebrew text with a numeric id, and English text without an id.
fn records() -> Vec<Value> {
    vec![
        json!({"id": "ar-1", "title": "خبر", "text": "فقرة أولى فيها \"اقتباس\".\n\nاقرأ أيضا: خبر آخر عن الطقس"}),
        json!({"url": "https://news.example/en/2", "html": "<p>Council &amp; mayor met.</p>\n<p>Read more: the budget story</p>"}),
        json!({"id": 731, "text": "ידיעה קצרה.\n\nקראו עוד: כתבה אחרת"}),
        json!({"text": "No id here.\n\nRead more: another story"}),
    ]
}

fn dump(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// Findings as (record id, field, field span, fingerprint, rule, message).
fn placed(report: &Value) -> Vec<(Value, Value, Value, String, String, String)> {
    let mut all: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["record"]["id"].clone(),
                f["record"]["field"].clone(),
                f["field_span"].clone(),
                f["fingerprint"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    all.sort_by(|a, b| a.3.cmp(&b.3));
    all
}

const CHECK: &[&str] = &["check", "--no-config", "--format", "json"];

#[test]
fn a_finding_names_its_record_field_and_place_in_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let all = records();
    write(dir.path(), "dump.jsonl", dump(&all));
    let run = clearance(dir.path(), &[CHECK, &["dump.jsonl"]].concat());
    let report = json(&run);
    let findings = report["findings"].as_array().unwrap();
    let got: Vec<(Value, Value)> = findings
        .iter()
        .map(|f| (f["record"].clone(), f["field_span"].clone()))
        .collect();
    let want = vec![
        (
            json!({"path": "dump.jsonl", "id": "ar-1", "line": 1, "field": "text"}),
            json!({"start": 44, "end": 62, "line": 3, "column": 1}),
        ),
        (
            json!({"path": "dump.jsonl", "id": "https://news.example/en/2", "line": 2, "field": "html"}),
            json!({"start": 35, "end": 45, "line": 2, "column": 4}),
        ),
        (
            json!({"path": "dump.jsonl", "id": "731", "line": 3, "field": "text"}),
            json!({"start": 22, "end": 38, "line": 3, "column": 1}),
        ),
        (
            json!({"path": "dump.jsonl", "id": null, "line": 4, "field": "text"}),
            json!({"start": 13, "end": 23, "line": 3, "column": 1}),
        ),
    ];
    assert_eq!(got, want, "{}", run.stdout);
    // The span is bytes of the field's own (unescaped) text.
    for (f, record) in findings.iter().zip(&all) {
        let field = f["record"]["field"].as_str().unwrap();
        let text = record[field].as_str().unwrap();
        let span = &f["field_span"];
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        let said = f["message"].as_str().unwrap();
        let found = &text[start..end];
        assert!(said.contains(found), "{found:?} in {said:?}");
    }
}

#[test]
fn the_same_record_is_the_same_finding_wherever_it_sits() {
    let dir = tempfile::tempdir().unwrap();
    let all = records();
    write(dir.path(), "whole.jsonl", dump(&all));
    // Another shard: the records in another order, after unrelated ones,
    // under another name.
    let mut shard: Vec<Value> = (0..5)
        .map(|i| json!({"id": format!("other-{i}"), "text": "Nothing to report."}))
        .collect();
    shard.extend(all.iter().rev().cloned());
    write(dir.path(), "part-7.jsonl", dump(&shard));
    let whole = placed(&json(&clearance(
        dir.path(),
        &[CHECK, &["whole.jsonl"]].concat(),
    )));
    let part = placed(&json(&clearance(
        dir.path(),
        &[CHECK, &["part-7.jsonl"]].concat(),
    )));
    let piped = placed(&json(&clearance_stdin(
        dir.path(),
        &[CHECK, &["--stdin-format", "jsonl", "-"]].concat(),
        dump(&shard).as_bytes(),
    )));
    assert_eq!(whole.len(), 4);
    // The records with an id agree everywhere; the one known by its line
    // only where it sits on the same line.
    let keyed = |v: &[(Value, Value, Value, String, String, String)]| {
        v.iter()
            .filter(|f| !f.0.is_null())
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keyed(&whole).len(), 3);
    assert_eq!(keyed(&whole), keyed(&part));
    assert_eq!(keyed(&part), keyed(&piped));
    // The field and its span agree for every record, the one without an
    // id included.
    let places = |v: &[(Value, Value, Value, String, String, String)]| {
        let mut p: Vec<(Value, Value, String)> = v
            .iter()
            .map(|f| (f.1.clone(), f.2.clone(), f.4.clone()))
            .collect();
        p.sort_by_key(|x| x.1.to_string());
        p
    };
    assert_eq!(places(&whole), places(&piped));
}

#[test]
fn a_whole_corpus_baseline_applies_to_each_shard_and_per_shard_baselines_merge() {
    let dir = tempfile::tempdir().unwrap();
    let all = records();
    write(dir.path(), "whole.jsonl", dump(&all));
    write(dir.path(), "a.jsonl", dump(&all[..2]));
    // The second shard has its records in another order, and one new
    // finding in a record the baseline does not know.
    let mut b: Vec<Value> = all[2..].iter().rev().cloned().collect();
    b.insert(
        0,
        json!({"id": "new-9", "text": "Fresh.\n\nRead more: something new"}),
    );
    write(dir.path(), "b.jsonl", dump(&b));
    let written = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--write-baseline",
            "base.json",
            "whole.jsonl",
        ],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap())
            .unwrap();
    let entries: Vec<(Value, Value)> = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].clone(), e["record"].clone()))
        .collect();
    assert_eq!(
        entries,
        [
            (json!("whole.jsonl"), json!("731")),
            (json!("whole.jsonl"), json!("ar-1")),
            (json!("whole.jsonl"), json!("https://news.example/en/2")),
            (json!("whole.jsonl:4"), Value::Null),
        ]
    );
    let left = |shard: &str| {
        let run = clearance(
            dir.path(),
            &[CHECK, &["--baseline", "base.json", shard]].concat(),
        );
        let report = json(&run);
        let ids: Vec<Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["record"]["id"].clone())
            .collect();
        (ids, report["summary"]["baselined"].as_u64().unwrap())
    };
    assert_eq!(left("a.jsonl"), (vec![], 2));
    // The record without an id sat on line 4 of the whole dump; in shard b
    // it is on line 2, so the baseline does not know it there.
    assert_eq!(left("b.jsonl"), (vec![json!("new-9"), Value::Null], 1));
}

#[test]
fn the_id_field_can_be_named_and_a_record_without_it_is_known_by_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "d.jsonl",
        "{\"doc\":{\"n\":1},\"key\":\"k-1\",\"text\":\"A.\\n\\nRead more: x\"}\n\
         {\"key\":17.5,\"text\":\"B.\\n\\nRead more: y\"}\n\
         {\"key\":\"\",\"id\":\"ignored\",\"text\":\"C.\\n\\nRead more: z\"}\n",
    );
    let run = clearance(
        dir.path(),
        &[CHECK, &["--id-field", "key", "d.jsonl"]].concat(),
    );
    let ids: Vec<Value> = json(&run)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"]["id"].clone())
        .collect();
    assert_eq!(ids, [json!("k-1"), json!("17.5"), Value::Null]);
}

#[test]
fn every_format_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.jsonl", dump(&records()[..1]));
    let run = |format: &str| {
        clearance(
            dir.path(),
            &["check", "--no-config", "--format", format, "d.jsonl"],
        )
    };
    let sarif: Value = serde_json::from_str(&run("sarif").stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"],
        json!({
            "record": {"path": "d.jsonl", "id": "ar-1", "line": 1, "field": "text"},
            "fieldSpan": {"start": 44, "end": 62, "line": 3, "column": 1}
        })
    );
    let csv = run("csv").stdout;
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        rows[0].ends_with(",byte_start,byte_end,record_id,field,field_byte_start,field_byte_end"),
        "{}",
        rows[0]
    );
    assert!(rows[1].ends_with(",ar-1,text,44,62"), "{}", rows[1]);
    assert!(
        run("github")
            .stdout
            .contains(",title=residue/read-also (record ar-1)::"),
        "github"
    );
    assert!(run("human").stdout.contains("╭─[d.jsonl#ar-1:1:"), "human");
    assert!(
        run("junit").stdout.contains("name=\"d.jsonl:1#ar-1\""),
        "junit"
    );
}

/// Shards checked into SARIF merge into the findings of one check of the
/// whole dump: records, fields, places and fingerprints.
#[test]
fn sarif_shards_merge_into_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let all = records();
    write(dir.path(), "whole.jsonl", dump(&all));
    write(dir.path(), "a.jsonl", dump(&all[..2]));
    write(dir.path(), "b.jsonl", dump(&all[2..]));
    for shard in ["a", "b"] {
        let run = clearance(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "sarif",
                "-o",
                &format!("{shard}.sarif"),
                &format!("{shard}.jsonl"),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let merged = clearance(
        dir.path(),
        &["merge", "--format", "json", "a.sarif", "b.sarif"],
    );
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let whole = clearance(dir.path(), &[CHECK, &["whole.jsonl"]].concat());
    // The record known by its line only sits on another line in shard b.
    let keyed = |v: Vec<(Value, Value, Value, String, String, String)>| {
        v.into_iter().filter(|f| !f.0.is_null()).collect::<Vec<_>>()
    };
    assert_eq!(keyed(placed(&json(&merged))), keyed(placed(&json(&whole))));
    // --expect cannot count a SARIF log's records.
    let refused = clearance(
        dir.path(),
        &["merge", "--expect", "4", "a.sarif", "b.sarif"],
    );
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("a SARIF log lists only documents with findings"),
        "{}",
        refused.stderr
    );
}
