//! A one-line progress counter for long scans, on standard error, only when
//! a person is watching: stderr is a terminal and `CI` is not set. It waits
//! half a second before it first draws, so quick runs print nothing, and
//! clears its line before the report is printed.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Counts checked documents; draws when enabled.
pub struct Progress {
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Whether this process should draw progress at all.
    pub fn wanted() -> bool {
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
    }

    /// Starts counting; draws only when `draw` is set.
    pub fn start(draw: bool) -> Progress {
        let count = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let drawer = draw.then(|| {
            let (count, stop) = (Arc::clone(&count), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut waited = Duration::ZERO;
                let tick = Duration::from_millis(100);
                let mut drawn = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(tick);
                    waited += tick;
                    if waited >= Duration::from_millis(500) {
                        let n = count.load(Ordering::Relaxed);
                        let mut err = std::io::stderr().lock();
                        let _ = write!(err, "\r\x1b[2KChecking… {n} documents");
                        let _ = err.flush();
                        drawn = true;
                    }
                }
                if drawn {
                    let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
                }
            })
        });
        Progress {
            count,
            stop,
            drawer,
        }
    }

    /// One more document checked.
    pub fn tick(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops drawing and clears the line.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}
