// A plain variable filled from a placeholder named like a secret: the export would write the
// CI's secret key into the task definition.
use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "ghcr.io/acme/web:1.4.2"
)]
struct App {
    #[ecs(env = "${AWS_SECRET_ACCESS_KEY}")]
    upload_key: String,
    #[ecs(env = "${LOG_LEVEL}")]
    rust_log: String,
}

fn main() {}
