//! The API service; its deployment is declared in `lib.rs`.

use ecsdef_example_api::Api;

fn main() {
    match ecsdef::config_from_env::<Api>() {
        Ok(config) => println!(
            "api: port {}, {} requests/s per client",
            config.port, config.rate_limit
        ),
        Err(e) => {
            eprintln!("api: bad configuration: {e}");
            std::process::exit(1);
        }
    }
}
