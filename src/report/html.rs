//! `--format html`: one self-contained page for editors and rights
//! managers: the totals and the compliance rate, bar charts of findings per
//! rule and per site (a JSON-lines record's `url`) or folder, the finding groups (the same text again and again:
//! a template to fix once), every finding with a filter, and the input that
//! could not be checked. Inline CSS, SVG and script, no network (a Content
//! Security Policy forbids it), readable from `file://`.
//!
//! Safety against hostile input, in three layers:
//! - every string from input (article text, paths, messages, pack strings)
//!   is first shown as in human output ([`escape::text`]: no control
//!   characters, no bidi overrides or isolates), then HTML-escaped where it
//!   is written into the page;
//! - the findings travel as JSON in a `<script type="application/json">`
//!   block with every `<` written `\u003c`, so nothing in them can close
//!   the block, and the script puts them on the page with `textContent`,
//!   never as markup;
//! - the page's policy allows no script but its own inline one, and no
//!   network at all.
//!
//! Article text is shown with `dir="auto"` and the language of its script
//! (`ar`, `he`), so Arabic and Hebrew read right to left inside a
//! left-to-right page. The first 200 findings are laid out at once; more
//! come on request, so a report of 100,000 findings opens fast.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::groups::groups;
use super::summary::folder;
use super::{Outcome, escape};
use crate::finding::Severity;
use crate::matcher::{Script, script};

/// Bars per chart.
const BARS: usize = 15;

/// `s` shown safely and escaped for markup ([`escape::markup`]).
fn html(s: &str) -> String {
    escape::markup(s)
}

/// The language of a text's letters, for `lang`: Arabic or Hebrew when
/// most of its letters are.
fn language(s: &str) -> Option<&'static str> {
    let (mut arabic, mut hebrew, mut other) = (0usize, 0usize, 0usize);
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        match script(c) {
            Script::Arabic => arabic += 1,
            Script::Hebrew => hebrew += 1,
            Script::Other => other += 1,
        }
    }
    if arabic > hebrew && arabic > other {
        Some("ar")
    } else if hebrew > arabic && hebrew > other {
        Some("he")
    } else {
        None
    }
}

/// One finding as the page's script reads it: every string already shown
/// safely.
#[derive(Serialize)]
struct Row {
    path: String,
    line: usize,
    column: usize,
    rule: String,
    severity: Severity,
    message: String,
    text: String,
    lang: Option<&'static str>,
    folder: String,
    /// With `--compare`: `new` or `unchanged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

/// A horizontal bar chart as inline SVG: labels left, counts right.
fn chart(title: &str, rows: &[(String, usize)]) -> String {
    const LABEL: usize = 260;
    const BAR: usize = 300;
    const LINE: usize = 22;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let height = LINE * rows.len() + 8;
    let mut svg = format!(
        "<figure class=\"chart\"><figcaption>{}</figcaption>\
         <svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" \
         viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        html(title),
        html(title),
        LABEL + BAR + 70,
        LABEL + BAR + 70
    );
    for (k, (label, n)) in rows.iter().enumerate() {
        let y = k * LINE + 4;
        let width = (n * BAR).div_ceil(max).max(1);
        let shown: String = label.chars().take(38).collect();
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" direction=\"ltr\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{width}\" height=\"16\" rx=\"2\"></rect>\
             <text x=\"{}\" y=\"{}\">{n}</text>",
            LABEL - 8,
            y + 13,
            html(&shown),
            LABEL,
            LABEL + width + 6,
            y + 13,
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

/// Counts sorted by count (descending), then name; the first `BARS`.
fn top(map: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut rows: Vec<(String, usize)> = map.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(BARS);
    rows
}

const STYLE: &str = r#"
:root { --err: #b3261e; --warn: #8a5a00; --info: #2a5d9f; --line: #ddd; --ink: #1d1d1f; }
body { font: 15px/1.45 system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 1em 1.5em 3em; }
h1 { font-size: 1.6em; margin: .3em 0; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid var(--line); }
.meta { color: #555; }
.cards { display: flex; flex-wrap: wrap; gap: .8em; margin: 1em 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .6em 1em; min-width: 8em; }
.cards b { display: block; font-size: 1.5em; }
.charts { display: flex; flex-wrap: wrap; gap: 2em; }
.chart { margin: 0; } .chart figcaption { font-weight: 600; margin-bottom: .3em; }
.chart rect { fill: #4f6d8f; } .chart text { font-size: 12px; fill: var(--ink); }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--line); padding: .35em .5em; text-align: start; vertical-align: top; }
th { background: #f5f5f7; position: sticky; top: 0; }
td.num { text-align: end; font-variant-numeric: tabular-nums; }
.sev-error { color: var(--err); font-weight: 600; } .sev-warning { color: var(--warn); } .sev-info { color: var(--info); }
.snippet { unicode-bidi: isolate; background: #fafafa; }
.where { font-family: ui-monospace, monospace; font-size: .9em; word-break: break-all; }
.filters { display: flex; flex-wrap: wrap; gap: .6em; margin: .8em 0; } .filters label { display: flex; flex-direction: column; font-size: .85em; }
#more { margin: 1em 0; }
.badge { margin-inline-start: .4em; padding: 0 .35em; border-radius: 3px; background: #fde7c8; color: #6b3d00; font-size: .8em; }
li.new b { color: #6b3d00; }
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("findings-data").textContent);
  var body = document.getElementById("findings-body");
  var count = document.getElementById("shown-count");
  var more = document.getElementById("more");
  var pick = { rule: document.getElementById("f-rule"), severity: document.getElementById("f-severity"), folder: document.getElementById("f-folder"), status: document.getElementById("f-status") };
  var search = document.getElementById("f-text");
  var PAGE = 200, shown = 0, rows = data;
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }
  function render(from) {
    var upto = Math.min(rows.length, from + PAGE);
    for (var i = from; i < upto; i++) {
      var f = rows[i], tr = document.createElement("tr");
      cell(tr, f.path + ":" + f.line + ":" + f.column, "where");
      var sev = cell(tr, f.severity, "sev-" + f.severity);
      if (f.status === "new") {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "new";
        sev.appendChild(badge);
      }
      cell(tr, f.rule);
      cell(tr, f.message).setAttribute("dir", "auto");
      var s = cell(tr, f.text, "snippet");
      s.setAttribute("dir", "auto");
      if (f.lang) { s.setAttribute("lang", f.lang); }
      body.appendChild(tr);
    }
    shown = upto;
    count.textContent = shown + " of " + rows.length;
    more.hidden = shown >= rows.length;
  }
  function apply() {
    var q = search.value.toLowerCase();
    rows = data.filter(function (f) {
      return (!pick.rule.value || f.rule === pick.rule.value)
        && (!pick.severity.value || f.severity === pick.severity.value)
        && (!pick.folder.value || f.folder === pick.folder.value)
        && (!pick.status.value || f.status === pick.status.value)
        && (!q || (f.path + " " + f.message + " " + f.text).toLowerCase().indexOf(q) >= 0);
    });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    render(0);
  }
  function options(select, values) {
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v;
      select.appendChild(o);
    });
  }
  function distinct(key) {
    var seen = {};
    data.forEach(function (f) { seen[f[key]] = true; });
    return Object.keys(seen).sort();
  }
  options(pick.rule, distinct("rule"));
  options(pick.severity, distinct("severity"));
  options(pick.folder, distinct("folder"));
  options(pick.status, distinct("status").filter(function (s) { return s !== "undefined"; }));
  [pick.rule, pick.severity, pick.folder, pick.status].forEach(function (s) { s.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  more.addEventListener("click", function () { render(shown); });
  render(0);
})();
"#;

pub(super) fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings, infos) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
    );
    let with_error = outcome
        .reports
        .iter()
        .filter(|r| r.findings.iter().any(|f| f.severity == Severity::Error))
        .count();
    let compliant = outcome.files.saturating_sub(with_error);
    let rate = if outcome.files == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", 100.0 * compliant as f64 / outcome.files as f64)
    };
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_folder: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = Vec::with_capacity(outcome.total());
    let status = |k: usize| {
        outcome
            .comparison
            .as_ref()
            .map(|c| if c.new[k] { "new" } else { "unchanged" })
    };
    for (k, (file, f)) in outcome.findings().enumerate() {
        let path = escape::text(&file.id.label()).into_owned();
        let folder = folder(&escape::text(&file.id.file)).to_string();
        *per_rule
            .entry(escape::text(&f.rule).into_owned())
            .or_default() += 1;
        // A record with an address counts for its site; a file for its folder.
        let place = match &file.site {
            Some(site) => escape::text(site).into_owned(),
            None => folder.clone(),
        };
        *per_folder.entry(place).or_default() += 1;
        rows.push(Row {
            lang: language(&f.matched).or_else(|| language(&f.message)),
            path,
            line: f.line,
            column: f.column,
            rule: escape::text(&f.rule).into_owned(),
            severity: f.severity,
            message: escape::text(&f.message).into_owned(),
            text: escape::text(&f.matched).into_owned(),
            folder,
            status: status(k),
        });
    }

    let mut page = String::with_capacity(8192 + rows.len() * 200);
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Clearance report</title>\n<style>",
    );
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n<header>\n<h1>Clearance report</h1>\n");
    let _ = writeln!(
        page,
        "<p class=\"meta\">Checked by clearance {}: {} documents, {} with findings.</p>\n</header>",
        env!("CARGO_PKG_VERSION"),
        outcome.files,
        outcome.reports.len()
    );
    let _ = writeln!(
        page,
        "<section id=\"summary\">\n<ul class=\"cards\">\
         <li><b id=\"n-files\">{}</b>documents checked</li>\
         <li><b id=\"n-rate\">{rate}</b>without an error</li>\
         <li><b id=\"n-findings\">{}</b>findings</li>\
         <li class=\"sev-error\"><b id=\"n-errors\">{errors}</b>errors</li>\
         <li class=\"sev-warning\"><b id=\"n-warnings\">{warnings}</b>warnings</li>\
         <li class=\"sev-info\"><b id=\"n-info\">{infos}</b>info</li>\
         <li><b id=\"n-problems\">{}</b>inputs not checked</li>\
         <li><b id=\"n-baselined\">{}</b>hidden by the baseline</li>{}</ul>\n</section>",
        outcome.files,
        outcome.total(),
        outcome.problems.len(),
        outcome.baselined,
        outcome
            .comparison
            .as_ref()
            .map_or(String::new(), |c| format!(
                "<li class=\"new\"><b id=\"n-new\">{}</b>new since {}</li>\
             <li><b id=\"n-fixed\">{}</b>fixed since then</li>\
             <li><b id=\"n-unchanged\">{}</b>unchanged</li>",
                c.new_count(),
                html(&c.against),
                c.fixed.len(),
                c.unchanged()
            )),
    );
    if !rows.is_empty() {
        let _ = writeln!(
            page,
            "<section id=\"charts\"><h2>Where the findings are</h2><div class=\"charts\">{}{}</div></section>",
            chart("Findings per rule", &top(per_rule)),
            chart("Findings per site or folder", &top(per_folder)),
        );
    }
    let groups = groups(outcome);
    if !groups.is_empty() {
        page.push_str(
            "<section id=\"groups\"><h2>The same finding again and again</h2>\
             <p>Findings of one rule with the same text (case, diacritics and spacing aside): \
             often one template to fix once.</p>\n<table><thead><tr><th>findings</th>\
             <th>documents</th><th>rule</th><th>text</th><th>first places</th></tr></thead><tbody>\n",
        );
        for g in &groups {
            let text = if g.text.is_empty() {
                "(absent)".to_string()
            } else {
                html(g.text)
            };
            let lang = language(g.text)
                .map(|l| format!(" lang=\"{l}\""))
                .unwrap_or_default();
            let places: Vec<String> = g
                .examples
                .iter()
                .map(|(id, line, column)| html(&format!("{id}:{line}:{column}")))
                .collect();
            let _ = writeln!(
                page,
                "<tr class=\"group\"><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"sev-{}\">{}</td><td class=\"snippet\" dir=\"auto\"{lang}>{text}</td>\
                 <td class=\"where\">{}</td></tr>",
                g.count,
                g.files,
                g.severity,
                html(g.rule),
                places.join("<br>"),
            );
        }
        page.push_str("</tbody></table></section>\n");
    }
    page.push_str(
        "<section id=\"findings\"><h2>Findings</h2>\n<div class=\"filters\">\
         <label>rule<select id=\"f-rule\"><option value=\"\">all</option></select></label>\
         <label>severity<select id=\"f-severity\"><option value=\"\">all</option></select></label>\
         <label>folder<select id=\"f-folder\"><option value=\"\">all</option></select></label>\
         <label>status<select id=\"f-status\"><option value=\"\">all</option></select></label>\
         <label>text<input id=\"f-text\" type=\"search\"></label>\
         <span id=\"shown-count\"></span></div>\n\
         <table><thead><tr><th>where</th><th>severity</th><th>rule</th><th>message</th>\
         <th>text</th></tr></thead><tbody id=\"findings-body\"></tbody></table>\n\
         <button id=\"more\" type=\"button\" hidden>show more</button>\n</section>\n",
    );
    if let Some(c) = outcome.comparison.as_ref().filter(|c| !c.fixed.is_empty()) {
        let _ = writeln!(
            page,
            "<section id=\"fixed\"><h2>Fixed since {}</h2>\n<table><thead><tr><th>where</th>\
             <th>rule</th><th>message</th></tr></thead><tbody>",
            html(&c.against)
        );
        for f in &c.fixed {
            let _ = writeln!(
                page,
                "<tr><td class=\"where\">{}:{}</td><td>{}</td><td dir=\"auto\">{}</td></tr>",
                html(&f.path),
                f.line,
                html(&f.rule),
                html(&f.message)
            );
        }
        page.push_str("</tbody></table></section>\n");
    }
    if !outcome.problems.is_empty() {
        page.push_str("<section id=\"problems\"><h2>Input not checked</h2><ul>\n");
        for p in &outcome.problems {
            let _ = writeln!(
                page,
                "<li><span class=\"where\">{}</span>: {}</li>",
                html(&p.id.to_string()),
                html(&p.message)
            );
        }
        page.push_str("</ul></section>\n");
    }
    // The findings, as JSON no `<` of which can end the block.
    let mut json = Vec::new();
    escape::write_json(&mut json, &rows, false)?;
    let json = String::from_utf8(json).map_err(io::Error::other)?;
    page.push_str("<script type=\"application/json\" id=\"findings-data\">");
    page.push_str(&json.replace('<', "\\u003c"));
    page.push_str("</script>\n<script>");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    fn page(outcome: &Outcome) -> String {
        let mut out = Vec::new();
        write(outcome, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_from_input_cannot_make_markup() {
        assert_eq!(
            html("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
        assert_eq!(html("a\u{202e}b\u{1b}[31m"), "a\\u{202e}b\\u{1b}[31m");
        let mut outcome = fixture::outcome();
        outcome.reports[0].findings[0].matched =
            "</script><script>alert(1)</script><img src=x onerror=alert(2)>".to_string();
        outcome.reports[0].findings[0].message = "\"onload=x </style>".to_string();
        let page = page(&outcome);
        // Our two scripts, and no other element that input could start.
        assert_eq!(page.matches("<script").count(), 2, "{page}");
        assert!(!page.contains("<img"));
        assert!(!page.contains("</style>\"") && page.matches("</style>").count() == 1);
        assert!(page.contains("\\u003c/script>\\u003cscript>alert(1)"));
        assert!(page.contains("Content-Security-Policy"));
    }

    #[test]
    fn counts_charts_and_languages() {
        let outcome = fixture::outcome();
        let page = page(&outcome);
        assert!(page.contains(&format!("<b id=\"n-findings\">{}</b>", outcome.total())));
        assert!(page.contains(&format!("<b id=\"n-files\">{}</b>", outcome.files)));
        assert!(page.contains("Findings per rule") && page.contains("Findings per site or folder"));
        assert_eq!(language("لفت انتباهنا"), Some("ar"));
        assert_eq!(language("לפי סעיף 27א"), Some("he"));
        assert_eq!(language("section 27A"), None);
        assert!(page.contains("\"lang\":\"he\""), "{page}");
    }
}
