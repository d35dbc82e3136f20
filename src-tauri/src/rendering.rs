//! How the window is drawn on Linux. WebKitGTK composites the page with OpenGL. On a machine
//! without a GPU (a virtual machine, a remote desktop, Xvfb) that OpenGL is Mesa's software
//! renderer, llvmpipe: every shader the page needs is compiled by LLVM on the CPU, and the layers'
//! textures sit in ordinary memory. Measured under Xvfb on the dashboard with 10,000 credentials:
//! about 0.7 s of CPU compiling shaders at start, and the web process at 234 MiB against 118 MiB
//! when WebKit draws without compositing. llvmpipe draws on the CPU either way, so compositing
//! gains nothing there: where no GPU can be used, TokenKeeper asks WebKit not to composite.
//!
//! The user decides first: `WEBKIT_DISABLE_COMPOSITING_MODE` set either way is left alone, and
//! `TOKENKEEPER_COMPOSITING=on` (or `off`) overrides the guess.

use std::path::Path;

/// WebKitGTK's own switch: any value turns compositing off.
pub const WEBKIT_SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// TokenKeeper's override: `on` keeps compositing, `off` turns it off.
pub const OVERRIDE: &str = "TOKENKEEPER_COMPOSITING";

/// Whether the window should be drawn without compositing. `env` reads the environment;
/// `render_node` tells whether the system has a GPU render node (`/dev/dri/renderD*`).
pub fn composite_off(
    env: impl Fn(&str) -> Option<String>,
    render_node: impl FnOnce() -> bool,
) -> bool {
    if env(WEBKIT_SWITCH).is_some() {
        return false;
    }
    match env(OVERRIDE).as_deref().map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("on") => return false,
        Some(v) if v.eq_ignore_ascii_case("off") => return true,
        _ => {}
    }
    // Mesa told to draw in software, or no GPU to draw with.
    env("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v != "0" && !v.is_empty()) || !render_node()
}

/// Whether `dir` (normally `/dev/dri`) holds a render node.
pub fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Chooses for this process, before GTK or WebKit start.
///
/// # Safety
/// Changes the environment: no other thread may be running (call it first thing in `main`).
#[allow(unsafe_code)]
pub unsafe fn choose() {
    let env = |name: &str| std::env::var(name).ok();
    if composite_off(env, || has_render_node(Path::new("/dev/dri"))) {
        // SAFETY: the caller guarantees this process has a single thread.
        unsafe { std::env::set_var(WEBKIT_SWITCH, "1") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn no_gpu_means_no_compositing() {
        assert!(composite_off(env(&[]), || false));
        assert!(!composite_off(env(&[]), || true));
    }

    #[test]
    fn software_mesa_means_no_compositing_even_with_a_gpu() {
        assert!(composite_off(
            env(&[("LIBGL_ALWAYS_SOFTWARE", "1")]),
            || true
        ));
        assert!(!composite_off(
            env(&[("LIBGL_ALWAYS_SOFTWARE", "0")]),
            || true
        ));
    }

    #[test]
    fn the_user_decides_first() {
        // WebKit's own switch, whatever its value, is left as it is.
        assert!(!composite_off(env(&[(WEBKIT_SWITCH, "0")]), || false));
        assert!(!composite_off(env(&[(WEBKIT_SWITCH, "1")]), || false));
        assert!(!composite_off(env(&[(OVERRIDE, "on")]), || false));
        assert!(!composite_off(env(&[(OVERRIDE, " ON ")]), || false));
        assert!(composite_off(env(&[(OVERRIDE, "off")]), || true));
        // Anything else is a guess again.
        assert!(composite_off(env(&[(OVERRIDE, "maybe")]), || false));
    }

    #[test]
    fn render_nodes_are_found_by_name() {
        let dir = tempfile::tempdir().expect("a scratch folder");
        assert!(!has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), b"").expect("a card node");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").expect("a render node");
        assert!(has_render_node(dir.path()));
    }
}
