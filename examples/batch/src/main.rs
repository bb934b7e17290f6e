//! The nightly report job; its deployment is declared in `lib.rs`.

use ecsdef_example_batch::Report;

fn main() {
    match ecsdef::config_from_env::<Report>() {
        Ok(config) => println!(
            "report: for {}",
            config.report_date.as_deref().unwrap_or("yesterday")
        ),
        Err(e) => {
            eprintln!("report: bad configuration: {e}");
            std::process::exit(1);
        }
    }
}
