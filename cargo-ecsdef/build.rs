//! Records the target this binary is built for: `cargo ecsdef` decides `#[cfg(target_os = ...)]`
//! and the like against it (the host, since cargo installs tools for the host), without running
//! `rustc -vV` on every invocation.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo::rustc-env=ECSDEF_BUILD_TARGET={target}");
    println!("cargo::rerun-if-changed=build.rs");
}
