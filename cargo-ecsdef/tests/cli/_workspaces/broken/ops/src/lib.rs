use ecsdef::{Container, TaskDefinition};

mod bad;
mod billing;

#[derive(Container)]
#[ecs(image = "public.ecr.aws/nginx/nginx:1.27", port = 80)]
pub struct Proxy;

/// Exported although other files are broken.
#[derive(TaskDefinition)]
#[ecs(family = "proxy", fargate, cpu = 256, memory = 512)]
pub struct ProxyTask {
    proxy: Proxy,
}

/// Its second container's type names nothing.
#[derive(TaskDefinition)]
#[ecs(family = "reports", ec2)]
pub struct ReportsTask {
    proxy: Proxy,
    renderer: renderer::Renderer,
}
