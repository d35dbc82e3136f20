//! When the page's JavaScript is optimised on Linux. WebKitGTK runs the page in JavaScriptCore,
//! which moves a function from its interpreter to its Baseline compiler once it has run a while,
//! and to its optimising compiler (the DFG) once it has run 1,000 units more. Mounting the
//! dashboard over 10,000 credentials crosses that second line for 25 functions, most of them
//! Svelte's runtime and the promise internals (`JSC_reportDFGCompileTimes=1`, the window driven
//! by WebDriver as `bench:app` drives it). One compilation is enough to page the DFG's own code
//! and working memory into the web process: about 3 MiB that the window then keeps at rest,
//! which a bare window does not.
//!
//! At 10,000 units one function still crossed it during the start, at 15,000 none, at 10,000
//! credentials as at 100,000; the line is set at 20,000 for a margin. What runs hot once the
//! window is used still crosses it within a few frames: dragging the scrollbar through 100,000
//! credentials missed as many frames as with JavaScriptCore's default (8 alternated runs each),
//! where 30,000 missed about twice as many.
//!
//! The user decides first: any of these switches already in the environment leaves all of them
//! as they are. The web process inherits them, as does any program the app starts.

/// JavaScriptCore's switches, read from the environment by the web process WebKit starts.
pub const SWITCHES: [&str; 3] = [
    "JSC_thresholdForOptimizeAfterWarmUp",
    "JSC_thresholdForOptimizeAfterLongWarmUp",
    "JSC_thresholdForOptimizeSoon",
];

/// The line for the DFG: JavaScriptCore's default is 1,000 for each of [`SWITCHES`].
pub const THRESHOLD: &str = "20000";

/// The switches to set: all of [`SWITCHES`], or none if the user set any of them.
pub fn settings(env: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    if SWITCHES.iter().any(|name| env(name).is_some()) {
        return Vec::new();
    }
    SWITCHES.iter().map(|name| (*name, THRESHOLD)).collect()
}

/// Sets the switches for this process, before WebKit starts its web process, which inherits them.
///
/// # Safety
/// Changes the environment: no other thread may be running (call it first thing in `main`).
#[allow(unsafe_code)]
pub unsafe fn choose() {
    for (name, value) in settings(|name| std::env::var(name).ok()) {
        // SAFETY: the caller guarantees this process has a single thread.
        unsafe { std::env::set_var(name, value) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switch_is_raised_twentyfold() {
        let set = settings(|_| None);
        assert_eq!(set.len(), SWITCHES.len());
        for (name, value) in set {
            assert!(SWITCHES.contains(&name));
            assert_eq!(value.parse::<u32>().ok(), Some(20 * 1000));
        }
    }

    #[test]
    fn the_user_decides_first() {
        for user in SWITCHES {
            let set = settings(|name| (name == user).then(|| "500".to_owned()));
            assert!(set.is_empty(), "{user} set by the user is left alone");
        }
        // Other JavaScriptCore switches do not count.
        let set = settings(|name| (name == "JSC_useJIT").then(|| "0".to_owned()));
        assert_eq!(set.len(), SWITCHES.len());
    }
}
