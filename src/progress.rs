//! A one-line progress counter for long scans, on standard error, only when
//! a person is watching: stderr is a terminal and `CI` is not set. It waits
//! half a second before it first draws, so quick runs print nothing, and
//! clears its line before the report is printed. Part of the binary: the
//! library only calls [`clearance::Progress`].

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Counts checked documents and draws the count.
pub(crate) struct Counter {
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    drawer: Mutex<Option<JoinHandle<()>>>,
}

impl Counter {
    /// Whether this process should draw progress at all.
    pub(crate) fn wanted() -> bool {
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
    }

    /// Starts counting, and a thread that draws.
    pub(crate) fn start() -> Counter {
        let count = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let drawer = {
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
        };
        Counter {
            count,
            stop,
            drawer: Mutex::new(Some(drawer)),
        }
    }
}

impl clearance::Progress for Counter {
    fn tick(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops drawing and clears the line.
    fn finish(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let drawer = self.drawer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(drawer) = drawer {
            let _ = drawer.join();
        }
    }
}
