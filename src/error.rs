//! Errors that stop a command (bad packs, bad arguments, I/O on our own
//! files). Problems with one input file are not errors: they are
//! [`crate::load::InputProblem`]s, reported while the scan goes on.

use miette::Diagnostic;
use std::path::PathBuf;

use crate::pack::PackError;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(clearance::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    #[diagnostic(code(clearance::io))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pack(Box<PackError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<crate::config::ConfigError>),
    #[error("{0}")]
    #[diagnostic(code(clearance::usage))]
    Usage(String),
}
