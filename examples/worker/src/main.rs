//! The queue worker; its deployment is declared in `lib.rs`.

use ecsdef_example_worker::Worker;

fn main() {
    match ecsdef::config_from_env::<Worker>() {
        Ok(config) => println!(
            "worker: draining {} in batches of {}",
            config.queue_url, config.batch_size
        ),
        Err(e) => {
            eprintln!("worker: bad configuration: {e}");
            std::process::exit(1);
        }
    }
}
