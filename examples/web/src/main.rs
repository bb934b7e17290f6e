//! The web service. It reads its configuration from the environment the task definition in
//! `lib.rs` declares; `cargo ecsdef export` turns that declaration into `deploy/web.json`.

use ecsdef_example_web::Web;

fn main() {
    match ecsdef::config_from_env::<Web>() {
        Ok(config) => println!(
            "web: listening on 0.0.0.0:{} with {} database connections (metrics {})",
            config.port,
            config.db_pool_size,
            if config.enable_metrics { "on" } else { "off" }
        ),
        Err(e) => {
            eprintln!("web: bad configuration: {e}");
            std::process::exit(1);
        }
    }
}
