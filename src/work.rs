//! A count of the bytes the text-scanning helpers read, for tests that
//! check an algorithm's cost without timing it. Outside unit tests the
//! counter compiles to nothing.

#[cfg(test)]
thread_local! {
    static READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Records that `bytes` bytes were read.
#[inline(always)]
pub(crate) fn add(bytes: usize) {
    #[cfg(test)]
    READ.with(|r| r.set(r.get() + bytes));
    #[cfg(not(test))]
    let _ = bytes;
}

/// The bytes recorded on this thread since the last call.
#[cfg(test)]
pub(crate) fn take() -> usize {
    READ.with(|r| r.replace(0))
}
