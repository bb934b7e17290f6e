pub mod logging;

#[path = "tracing_impl.rs"]
pub mod tracing;

pub mod mesh {
    mod envoy_impl {
        use ecsdef::Container;

        #[derive(Container)]
        #[ecs(image = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod", essential = false)]
        pub struct Envoy;
    }

    pub use self::envoy_impl::*;
}
