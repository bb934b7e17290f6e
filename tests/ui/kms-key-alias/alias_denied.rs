// A KMS key by alias: IAM matches `kms:Decrypt` against key ARNs only.
#![deny(warnings)]

use ecsdef::Container;

#[derive(Container)]
#[ecs(
    image = "nginx:1.27",
    kms_key = "arn:aws:kms:us-east-1:123456789012:alias/db",
)]
struct Web {
    #[ecs(secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")]
    db_password: String,
}

fn main() {}
