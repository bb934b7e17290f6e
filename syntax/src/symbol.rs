//! The keys of `#[ecs(...)]`, per level, for "did you mean" and "expected one of".

/// Struct-level keys of `#[derive(Container)]`.
pub const CONTAINER_KEYS: &[&str] = &[
    "image",
    "credentials",
    "kms_key",
    "name",
    "essential",
    "cpu",
    "memory",
    "memory_reservation",
    "port",
    "health_check",
    "log",
    "command",
    "entry_point",
    "working_directory",
    "user",
    "stop_timeout",
    "start_timeout",
    "read_only_root_filesystem",
    "init_process_enabled",
    "labels",
    "ulimit",
    "mount",
    "env_prefix",
    "extra",
    "allow",
    "crate",
];

/// Keys that may appear more than once at the container level.
pub const CONTAINER_REPEATABLE: &[&str] = &["port", "ulimit", "mount", "allow"];

/// Field-level keys of `#[derive(Container)]`.
pub const CONTAINER_FIELD_KEYS: &[&str] = &["env", "secret", "rename", "skip", "allow"];

/// Struct-level keys of `#[derive(TaskDefinition)]`.
pub const TASK_KEYS: &[&str] = &[
    "family",
    "fargate",
    "ec2",
    "external",
    "network_mode",
    "cpu",
    "memory",
    "execution_role",
    "task_role",
    "region",
    "platform_version",
    "agent_version",
    "runtime_platform",
    "ephemeral_storage",
    "tags",
    "volume",
    "pid_mode",
    "ipc_mode",
    "extra",
    "allow",
    "crate",
];

/// Keys that may appear more than once at the task level.
pub const TASK_REPEATABLE: &[&str] = &["volume", "allow"];

/// Field-level keys of `#[derive(TaskDefinition)]`.
pub const TASK_FIELD_KEYS: &[&str] = &[
    "name",
    "essential",
    "cpu",
    "memory",
    "memory_reservation",
    "depends_on",
    "allow",
];

/// Keys that may appear more than once on a task field.
pub const TASK_FIELD_REPEATABLE: &[&str] = &["depends_on", "allow"];

/// Keys of `port(...)`.
pub const PORT_KEYS: &[&str] = &["container", "host", "protocol", "name", "app_protocol"];
/// Keys of `health_check(...)`.
pub const HEALTH_CHECK_KEYS: &[&str] =
    &["command", "interval", "timeout", "retries", "start_period"];
/// Keys of `log(...)`.
pub const LOG_KEYS: &[&str] = &[
    "driver",
    "group",
    "region",
    "stream_prefix",
    "create_group",
    "mode",
    "options",
];
/// Keys of `ulimit(...)`.
pub const ULIMIT_KEYS: &[&str] = &["name", "soft", "hard"];
/// Keys of `mount(...)`.
pub const MOUNT_KEYS: &[&str] = &["source", "path", "read_only"];
/// Keys of `runtime_platform(...)`.
pub const RUNTIME_PLATFORM_KEYS: &[&str] = &["os", "arch"];
/// Keys of `volume(...)`.
pub const VOLUME_KEYS: &[&str] = &["name", "host_path", "configured_at_launch"];
/// Keys of `depends_on(...)`.
pub const DEPENDS_ON_KEYS: &[&str] = &["container", "condition"];
