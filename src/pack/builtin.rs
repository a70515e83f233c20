//! Built-in packs, embedded in the binary. One line per file in `rules/`.

/// (name, YAML text) of every built-in pack, in the order they run.
pub const BUILTIN: &[(&str, &str)] = &[
    ("il-27a", include_str!("../../rules/il-27a.yaml")),
    ("attribution", include_str!("../../rules/attribution.yaml")),
    ("residue", include_str!("../../rules/residue.yaml")),
    ("wire", include_str!("../../rules/wire.yaml")),
    ("cc", include_str!("../../rules/cc.yaml")),
    ("dmca", include_str!("../../rules/dmca.yaml")),
];

/// Names of the built-in packs.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}
