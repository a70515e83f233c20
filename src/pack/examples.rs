//! Rule examples: every rule carries `valid` texts it must stay silent on and
//! `invalid` texts it must report. `clearance rules test` and the test suite
//! both run them through here.

use std::io::{self, Write};

use super::{Pack, Rule};
use crate::Engine;
use crate::load::{Kind, from_source};
use crate::matcher::Profile;

/// Outcome of one pack's examples.
#[derive(Debug, Default)]
pub struct ExampleResult {
    pub passed: usize,
    /// One line per failed example.
    pub failures: Vec<String>,
}

/// Runs the examples of every rule of `pack` (see [`example_kind`] for how
/// each is read), with only this pack active.
pub fn run(pack: Pack) -> Result<ExampleResult, crate::Error> {
    let engine = Engine::new(vec![pack])?;
    let mut result = ExampleResult::default();
    for rule in engine.rules() {
        let profile = Profile {
            publisher: rule.examples.publisher.clone().map(std::sync::Arc::new),
            required: if rule.examples.required {
                std::iter::once(rule.pack().to_string()).collect()
            } else {
                Default::default()
            },
            ..Profile::default()
        };
        let cases = rule
            .examples
            .valid
            .iter()
            .map(|t| (t, false))
            .chain(rule.examples.invalid.iter().map(|t| (t, true)));
        for (n, (text, should_fire)) in cases.enumerate() {
            let doc = from_source(
                &format!("{}#example{}", rule.id, n + 1),
                example_kind(text),
                text.clone(),
            );
            let fired = crate::check::check_document(&engine, &doc, &profile, None)
                .findings
                .iter()
                .any(|f| f.rule == rule.id);
            if fired == should_fire {
                result.passed += 1;
                if let Some(failure) = check_fix(&engine, rule, &doc, &profile, n) {
                    result.passed -= 1;
                    result.failures.push(failure);
                }
            } else {
                let what = if should_fire {
                    "invalid example not reported"
                } else {
                    "valid example reported"
                };
                result
                    .failures
                    .push(format!("{}: {what}: {}", rule.id, one_line(text)));
            }
        }
    }
    Ok(result)
}

/// For a rule with a fix, on any example (number `n`, valid ones first): the fix applied twice changes nothing the second
/// time, and an invalid example reads as its `fixed` text. A failure's line.
fn check_fix(
    engine: &Engine,
    rule: &Rule,
    doc: &crate::load::Document,
    profile: &Profile,
    n: usize,
) -> Option<String> {
    rule.fix.as_ref()?;
    let only = |id: &str| id == rule.id;
    let once = crate::fix::fix_text(engine, doc, profile, &only);
    let again = from_source(&doc.id.file, doc.kind, once.clone());
    let twice = crate::fix::fix_text(engine, &again, profile, &only);
    if twice != once {
        return Some(format!(
            "{}: fixing twice changes the text again: {}",
            rule.id,
            one_line(&doc.source)
        ));
    }
    let invalid = n.checked_sub(rule.examples.valid.len())?;
    let want = rule.examples.fixed.get(invalid)?.as_ref()?;
    (once != *want).then(|| {
        format!(
            "{}: fixed example {} reads «{}», not «{}»",
            rule.id,
            invalid + 1,
            one_line(&once),
            one_line(want)
        )
    })
}

/// How an example is read: Markdown when it opens with front matter, HTML
/// when it opens with a tag, plain text otherwise.
fn example_kind(text: &str) -> Kind {
    if text.starts_with("---\n") || text.starts_with("+++\n") {
        Kind::Markdown
    } else if text.trim_start().starts_with('<') {
        Kind::Html
    } else {
        Kind::Text
    }
}

/// `clearance rules show`: a rule's documentation.
pub fn describe(rule: &Rule, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} ({})", rule.id, rule.severity)?;
    // A pack's own text, each on its one line: a line break in it is shown
    // as `\n`, as `check` shows it, so no pack can start a line of this
    // listing (with `::error`, say, which a CI runner would obey).
    let shown = |s: &str| crate::report::escape::text(s).into_owned();
    writeln!(out, "  message: {}", shown(&rule.message))?;
    if let Some(help) = &rule.help {
        writeln!(out, "  help:    {}", shown(help))?;
    }
    let scopes: Vec<String> = rule.scope.iter().map(|s| s.name()).collect();
    writeln!(out, "  scope:   {}", scopes.join(", "))?;
    let fix = match &rule.fix {
        Some(super::Fix::Replace(with)) => format!(
            "`--fix` writes «{}» / «{}» / «{}» (by the text's script) in place of what a check found wrong",
            shown(&with.he),
            shown(&with.ar),
            shown(&with.en)
        ),
        Some(super::Fix::Delete(unit)) => format!(
            "`--fix` deletes the {} (on a page, the element it fills)",
            match *unit {
                super::FixUnit::Match => "matched text",
                super::FixUnit::Line => "line",
                super::FixUnit::Paragraph => "paragraph",
            }
        ),
        None => "none: a person repairs it".to_string(),
    };
    writeln!(out, "  fix:     {fix}")?;
    if rule.is_configurable_requirement() {
        writeln!(
            out,
            "  applies: to every file when the configuration requires the pack \
             (`require: [{pack}]` or `--require {pack}`); otherwise only where the page \
             shows the requirement applies (`required_when`)",
            pack = rule.pack()
        )?;
    }
    if let Some(p) = &rule.examples.publisher {
        let mut parts = Vec::new();
        if let Some(name) = &p.name {
            parts.push(format!("name {name}"));
        }
        if !p.domains.is_empty() {
            parts.push(format!("domains {}", p.domains.join(", ")));
        }
        if let Some(contact) = &p.contact {
            parts.push(format!("contact {contact}"));
        }
        writeln!(
            out,
            "  examples checked for the publisher: {}",
            parts.join("; ")
        )?;
    }
    for (title, list) in [
        ("valid", &rule.examples.valid),
        ("invalid", &rule.examples.invalid),
    ] {
        if !list.is_empty() {
            writeln!(out, "  {title} examples:")?;
            for text in list {
                writeln!(out, "    - {}", one_line(text))?;
            }
        }
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    crate::matcher::quote_text(text)
}
