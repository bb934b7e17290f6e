//! A task definition as ECS describes it, and its registration, both as the JSON of ECS's API.
//!
//! The SDK's typed shapes are not serializable, and mapping each of the definition's many
//! members to the SDK's builders by hand would be a second copy of the model to keep in step.
//! ECS's API is JSON (`awsJson1_1`), and the JSON `export` writes is exactly the
//! `RegisterTaskDefinition` input (what `aws ecs register-task-definition --cli-input-json`
//! sends). So `describe` keeps the body of the response as ECS sent it, and `register` sends
//! the exported JSON itself as the body of the request, before it is signed.

use std::sync::{Arc, Mutex};

use aws_sdk_ecs::config::interceptors::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
};
use aws_sdk_ecs::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_ecs::error::ProvideErrorMetadata;
use aws_sdk_ecs::types::{ContainerDefinition, TaskDefinitionField};
use aws_smithy_types::body::SdkBody;
use serde_json::Value;

use super::{AskError, classify};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Keeps the body of the response.
#[derive(Debug, Clone, Default)]
struct ResponseBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for ResponseBody {
    fn name(&self) -> &'static str {
        "ecsdef::ResponseBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes()
            && let Ok(mut body) = self.0.lock()
        {
            *body = Some(bytes.to_vec());
        }
        Ok(())
    }
}

impl ResponseBody {
    fn json(&self) -> Option<Value> {
        let body = self.0.lock().ok()?;
        serde_json::from_slice(body.as_deref()?).ok()
    }
}

/// Replaces the body of the request with a JSON text before the request is signed.
#[derive(Debug, Clone)]
struct RequestBody(String);

impl Intercept for RequestBody {
    fn name(&self) -> &'static str {
        "ecsdef::RequestBody"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        *request.body_mut() = SdkBody::from(self.0.clone());
        request
            .headers_mut()
            .insert("content-length", self.0.len().to_string());
        Ok(())
    }
}

/// The latest ACTIVE revision of a family as ECS describes it (`taskDefinition`, with the
/// response's `tags` beside it), or `None` when the family has none.
pub async fn describe(
    client: &aws_sdk_ecs::Client,
    family: &str,
) -> Result<Option<Value>, AskError> {
    let body = ResponseBody::default();
    let result = client
        .describe_task_definition()
        .task_definition(family)
        .include(TaskDefinitionField::Tags)
        .customize()
        .interceptor(body.clone())
        .send()
        .await;
    match result {
        Ok(_) => body.json().map(Some).ok_or_else(|| AskError {
            message: format!(
                "`ecs:DescribeTaskDefinition` of `{family}` answered with a body that is not JSON"
            ),
            help: "check `AWS_ENDPOINT_URL` if it is set".to_owned(),
        }),
        Err(error) => {
            let error = classify("ecs:DescribeTaskDefinition", error)?;
            // ECS answers a family without an ACTIVE revision with a client error, not a
            // typed "not found".
            if error.is_client_exception() {
                Ok(None)
            } else {
                Err(AskError {
                    message: format!(
                        "`ecs:DescribeTaskDefinition` of `{family}` failed: {}",
                        error.message().unwrap_or("no message")
                    ),
                    help: "run again; if it persists, check the region".to_owned(),
                })
            }
        }
    }
}

/// Why a registration failed when ECS answered: the definition was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// Registers `json` (a `RegisterTaskDefinition` input) as a new revision; returns its ARN.
pub async fn register(
    client: &aws_sdk_ecs::Client,
    family: &str,
    json: &str,
) -> Result<Result<String, Refused>, AskError> {
    let result = client
        .register_task_definition()
        // The typed input only has to serialize; the interceptor sends `json` instead.
        .family(family)
        .container_definitions(ContainerDefinition::builder().build())
        .customize()
        .interceptor(RequestBody(json.to_owned()))
        .send()
        .await;
    match result {
        Ok(output) => Ok(Ok(output
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .unwrap_or_default()
            .to_owned())),
        Err(error) => {
            let error = classify("ecs:RegisterTaskDefinition", error)?;
            Ok(Err(Refused(format!(
                "{}: {}",
                error.code().unwrap_or("error"),
                error.message().unwrap_or("no message")
            ))))
        }
    }
}
