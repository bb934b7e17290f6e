use ecsdef::Container;

#[derive(Container)]
#[ecs(image = "public.ecr.aws/xray/aws-xray-daemon:3.3.14", essential = false, port(container = 2000, protocol = "udp"))]
pub struct XRay;
