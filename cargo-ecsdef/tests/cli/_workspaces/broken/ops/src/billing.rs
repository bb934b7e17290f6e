use ecsdef::TaskDefinition;

use crate::Proxy;

/// The family `reports` is already `ReportsTask`'s.
#[derive(TaskDefinition)]
#[ecs(family = "reports", ec2, memory = 256)]
pub struct BillingTask {
    proxy: Proxy,
}

#[derive(TaskDefinition)]
#[ecs(family = "billing", ec2, memry = 256)]
pub struct Typo {
    proxy: Proxy,
}
