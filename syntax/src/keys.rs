//! The table of `#[ecs(...)]` attribute keys: every key of every level described once.
//!
//! [`KEYS`] drives the key check of each level (unknown keys with "did you mean", repeated
//! keys), the parsing of every key that sets one value to a literal ([`Kind::Str`] and the
//! other kinds with a [`Set`]), the way back from JSON to attributes of `cargo ecsdef import`,
//! and a test that holds the tables of the guide (`runtime/src/guide.md`) to it, as ripgrep's
//! `flags/defs.rs` drives parsing, `--help` and the man page from one definition per flag.
//!
//! A key that sets one member to a string (free or from a closed set), an integer, a boolean,
//! a list of strings or a map of strings is one entry here, a row of the guide and a use in a test fixture. A key of any
//! other form ([`Kind::Own`]: a group, a flag with a meaning of its own, a value checked
//! against a closed set) is parsed by its own code in `attr.rs` and written back by its own
//! code in `import.rs`; its name, place and documentation are still only here.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use ecsdef_model::assemble::FieldOverrides;
use ecsdef_model::rules::{ContainerContext, Context};
use ecsdef_model::{
    ContainerDefinition, EphemeralStorage, LinuxParameters, RepositoryCredentials, TaskDefinition,
    UnknownEnumValue,
};

/// One attribute key.
#[derive(Debug)]
pub struct Key {
    /// The key as written: `working_directory`.
    pub name: &'static str,
    /// Where the key is written.
    pub level: Level,
    /// What it sets.
    pub member: Member,
    /// The form of its value, and where a literal value goes.
    pub kind: Kind,
    /// Whether it may be written more than once.
    pub repeatable: bool,
    /// One line for the guide's notes column.
    pub doc: &'static str,
}

/// Where a key is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `#[ecs(...)]` on a `#[derive(Container)]` struct.
    Container,
    /// `#[ecs(...)]` on a field of a `#[derive(Container)]` struct.
    ContainerField,
    /// `#[ecs(...)]` on a `#[derive(TaskDefinition)]` struct.
    Task,
    /// `#[ecs(...)]` on a field of a `#[derive(TaskDefinition)]` struct.
    TaskField,
    /// Inside the group of this key: `log(...)`, `health_check(...)`.
    Group(&'static str),
}

impl Level {
    /// The level as error messages name it: "unknown `health_check` key".
    pub fn noun(self) -> &'static str {
        match self {
            Level::Container => "container",
            Level::ContainerField => "field",
            Level::Task => "task",
            Level::TaskField => "task field",
            Level::Group(group) => group,
        }
    }
}

/// What a key sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// A member of the JSON, by its path from the container, the task or the group (dots
    /// between nested objects; `[]` after a list the key adds one item to).
    Json(&'static str),
    /// Nothing in the JSON: a value the rules, the policy or the derive use. A literal value
    /// of such a key is spanned as a context value of the key's name.
    None,
    /// Any member: `extra`.
    Any,
    /// The name of the field's variable: `rename`.
    VariableName,
}

impl Member {
    /// The JSON path of a member that is a single value (no `[]`), else `None`.
    pub fn path(self) -> Option<&'static str> {
        match self {
            Member::Json(path) if !path.ends_with("[]") => Some(path),
            _ => None,
        }
    }

    /// The member as the guide's tables show it.
    pub fn describe(self) -> String {
        match self {
            Member::Json(path) => format!("`{path}`"),
            Member::None => "(none)".to_owned(),
            Member::Any => "any member".to_owned(),
            Member::VariableName => "the variable name".to_owned(),
        }
    }
}

/// The form of a key's value. The kinds with a [`Set`] are parsed, and imported back, by the
/// table alone.
#[derive(Debug)]
pub enum Kind {
    /// `key = "..."`.
    Str(Set<String>),
    /// `key = N`, from `min` to `max`.
    Int {
        /// The smallest value.
        min: i32,
        /// The largest value.
        max: i32,
        /// Where it goes.
        set: Set<i32>,
    },
    /// `key = true|false`, or the bare `key` for `true`.
    Bool(Set<bool>),
    /// `key = ["...", ...]`, or `key = "..."` for a list of one.
    StrList(Set<Vec<String>>),
    /// `key("name" = "value", ...)`.
    StrMap(Set<BTreeMap<String, String>>),
    /// `key = "..."`, one of a closed set: the setter parses it with the model enum's
    /// `FromStr`, whose error lists the set.
    Enum(Set<String, Result<(), UnknownEnumValue>>),
    /// Parsed by its own code in `attr.rs`.
    Own(Form),
}

/// The form of a key parsed by its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `key = "..."`.
    Str,
    /// `key = N`, from `min` to `max`.
    Int {
        /// The smallest value.
        min: i32,
        /// The largest value.
        max: i32,
    },
    /// `key = true|false`, or the bare `key`.
    Bool,
    /// The bare `key`.
    Flag,
    /// `key = "..."`, one of a closed set (the model's enum).
    Enum,
    /// `key = "..."` or `key = ["...", ...]`.
    StrOrList,
    /// `key("name" = "value", ...)`.
    StrMap,
    /// `key(...)`, holding the keys of [`Level::Group`] of this key.
    Group,
    /// `key = N` or `key(...)`.
    IntOrGroup,
    /// `key = N` or `key = "..."`.
    IntOrStr,
    /// `key = LITERAL`, any literal.
    Literal,
    /// `key = r#"{...}"#`, a JSON object.
    Json,
    /// `key(rule-name, ...)`.
    RuleNames,
    /// `key = "path::to::crate"`.
    Path,
}

/// Where a literal value goes: a setter of the level's target (which may refuse the value,
/// for [`Kind::Enum`]).
pub enum Set<T, R = ()> {
    /// Into the container definition.
    Container(fn(&mut ContainerDefinition, T) -> R),
    /// Into what the rules know of the container beyond its JSON.
    ContainerContext(fn(&mut ContainerContext, T) -> R),
    /// Into the task definition.
    Task(fn(&mut TaskDefinition, T) -> R),
    /// Into what the rules know of the task beyond its JSON.
    TaskContext(fn(&mut Context, T) -> R),
    /// Into a task field's overrides of its container.
    TaskField(fn(&mut FieldOverrides, T) -> R),
}

impl<T, R> std::fmt::Debug for Set<T, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Set::Container(_) => "Set::Container",
            Set::ContainerContext(_) => "Set::ContainerContext",
            Set::Task(_) => "Set::Task",
            Set::TaskContext(_) => "Set::TaskContext",
            Set::TaskField(_) => "Set::TaskField",
        })
    }
}

impl<T, R> Set<T, R> {
    /// The level whose target this setter writes into.
    pub fn level(&self) -> Level {
        match self {
            Set::Container(_) | Set::ContainerContext(_) => Level::Container,
            Set::Task(_) | Set::TaskContext(_) => Level::Task,
            Set::TaskField(_) => Level::TaskField,
        }
    }
}

impl Kind {
    /// The level whose target a key of this kind writes into, when the table parses it.
    pub fn set_level(&self) -> Option<Level> {
        match self {
            Kind::Str(set) => Some(set.level()),
            Kind::Int { set, .. } => Some(set.level()),
            Kind::Bool(set) => Some(set.level()),
            Kind::StrList(set) => Some(set.level()),
            Kind::StrMap(set) => Some(set.level()),
            Kind::Enum(set) => Some(set.level()),
            Kind::Own(_) => None,
        }
    }
}

/// A key of the table: not repeatable, until [`Key::repeatable`].
const fn key(
    name: &'static str,
    level: Level,
    member: Member,
    kind: Kind,
    doc: &'static str,
) -> Key {
    Key {
        name,
        level,
        member,
        kind,
        repeatable: false,
        doc,
    }
}

impl Key {
    /// The same key, allowed more than once.
    const fn repeatable(mut self) -> Key {
        self.repeatable = true;
        self
    }
}

/// The largest value of the model's integers.
const MAX: i32 = i32::MAX;

use Form as F;
use Level::{Container, ContainerField, Group, Task, TaskField};
use Member::Json;

/// Every key, level by level, in the order "expected one of" lists them, the guide shows them
/// and `cargo ecsdef import` writes them.
pub static KEYS: &[Key] = &[
    // `#[derive(Container)]`, on the struct.
    key(
        "image",
        Container,
        Json("image"),
        Kind::Str(Set::Container(|c, v| c.image = Some(v))),
        "required",
    ),
    key(
        "credentials",
        Container,
        Json("repositoryCredentials.credentialsParameter"),
        Kind::Str(Set::Container(|c, v| {
            c.repository_credentials = Some(RepositoryCredentials {
                credentials_parameter: v,
            });
        })),
        "a Secrets Manager ARN or secret name",
    ),
    key(
        "kms_key",
        Container,
        Member::None,
        Kind::Str(Set::ContainerContext(|c, v| c.kms_key = Some(v))),
        "the customer-managed key of the credentials and secrets: in the policy, and needed across accounts",
    ),
    key(
        "name",
        Container,
        Json("name"),
        Kind::Str(Set::Container(|c, v| c.name = Some(v))),
        "default: the task's field name",
    ),
    key(
        "essential",
        Container,
        Json("essential"),
        Kind::Bool(Set::Container(|c, v| c.essential = Some(v))),
        "default true",
    ),
    key(
        "cpu",
        Container,
        Json("cpu"),
        Kind::Int {
            min: 0,
            max: MAX,
            set: Set::Container(|c, v| c.cpu = Some(v)),
        },
        "CPU units",
    ),
    key(
        "memory",
        Container,
        Json("memory"),
        Kind::Int {
            min: 0,
            max: MAX,
            set: Set::Container(|c, v| c.memory = Some(v)),
        },
        "MiB, hard limit",
    ),
    key(
        "memory_reservation",
        Container,
        Json("memoryReservation"),
        Kind::Int {
            min: 0,
            max: MAX,
            set: Set::Container(|c, v| c.memory_reservation = Some(v)),
        },
        "MiB, soft limit",
    ),
    key(
        "port",
        Container,
        Json("portMappings[]"),
        Kind::Own(F::IntOrGroup),
        "`port = N` maps the container port alone",
    )
    .repeatable(),
    key(
        "health_check",
        Container,
        Json("healthCheck"),
        Kind::Own(F::Group),
        "a string command runs with `CMD-SHELL`",
    ),
    key(
        "log",
        Container,
        Json("logConfiguration"),
        Kind::Own(F::Group),
        "`group`, `region`, `stream_prefix`, `create_group` are the `awslogs-*` options",
    ),
    key(
        "command",
        Container,
        Json("command"),
        Kind::StrList(Set::Container(|c, v| c.command = Some(v))),
        "the command, in exec form",
    ),
    key(
        "entry_point",
        Container,
        Json("entryPoint"),
        Kind::StrList(Set::Container(|c, v| c.entry_point = Some(v))),
        "the entry point, in exec form",
    ),
    key(
        "working_directory",
        Container,
        Json("workingDirectory"),
        Kind::Str(Set::Container(|c, v| c.working_directory = Some(v))),
        "the directory the command runs in",
    ),
    key(
        "user",
        Container,
        Json("user"),
        Kind::Str(Set::Container(|c, v| c.user = Some(v))),
        "the user the command runs as",
    ),
    key(
        "stop_timeout",
        Container,
        Json("stopTimeout"),
        Kind::Int {
            min: 0,
            max: 3600,
            set: Set::Container(|c, v| c.stop_timeout = Some(v)),
        },
        "seconds, 0-3600, before a container that does not stop is killed",
    ),
    key(
        "start_timeout",
        Container,
        Json("startTimeout"),
        Kind::Int {
            min: 0,
            max: 3600,
            set: Set::Container(|c, v| c.start_timeout = Some(v)),
        },
        "seconds, 0-3600, to wait for the containers it depends on",
    ),
    key(
        "read_only_root_filesystem",
        Container,
        Json("readonlyRootFilesystem"),
        Kind::Bool(Set::Container(|c, v| c.readonly_root_filesystem = Some(v))),
        "the root filesystem is mounted read-only",
    ),
    key(
        "init_process_enabled",
        Container,
        Json("linuxParameters.initProcessEnabled"),
        Kind::Bool(Set::Container(|c, v| {
            c.linux_parameters
                .get_or_insert_with(LinuxParameters::default)
                .init_process_enabled = Some(v);
        })),
        "an init process runs as PID 1 and reaps zombie processes",
    ),
    key(
        "labels",
        Container,
        Json("dockerLabels"),
        Kind::StrMap(Set::Container(|c, v| c.docker_labels = Some(v))),
        "Docker labels",
    ),
    key(
        "ulimit",
        Container,
        Json("ulimits[]"),
        Kind::Own(F::Group),
        "a resource limit",
    )
    .repeatable(),
    key(
        "mount",
        Container,
        Json("mountPoints[]"),
        Kind::Own(F::Group),
        "a task volume, mounted in the container",
    )
    .repeatable(),
    key(
        "env_prefix",
        Container,
        Member::None,
        Kind::Own(F::Str),
        "prefix of the fields' default variable names",
    ),
    key(
        "extra",
        Container,
        Member::Any,
        Kind::Own(F::Json),
        "a JSON object merged into the definition, checked against the complete model",
    ),
    key(
        "allow",
        Container,
        Member::None,
        Kind::Own(F::RuleNames),
        "silences warnings for this container",
    )
    .repeatable(),
    key(
        "crate",
        Container,
        Member::None,
        Kind::Own(F::Path),
        "for crates that re-export ecsdef",
    ),
    // `#[derive(Container)]`, on each field.
    key(
        "env",
        ContainerField,
        Json("environment[]"),
        Kind::Own(F::Literal),
        "must parse as the field's primitive type",
    ),
    key(
        "secret",
        ContainerField,
        Json("secrets[]"),
        Kind::Own(F::Str),
        "a Secrets Manager ARN (with `:json-key:version-stage:version-id`), or an SSM parameter name or ARN",
    ),
    key(
        "rename",
        ContainerField,
        Member::VariableName,
        Kind::Own(F::Str),
        "default: `env_prefix` + the field name in SCREAMING_SNAKE_CASE",
    ),
    key(
        "skip",
        ContainerField,
        Member::None,
        Kind::Own(F::Flag),
        "the service has its own default",
    ),
    key(
        "allow",
        ContainerField,
        Member::None,
        Kind::Own(F::RuleNames),
        "the value matches the secret-name test but is not secret",
    )
    .repeatable(),
    // `#[derive(TaskDefinition)]`, on the struct.
    key(
        "family",
        Task,
        Json("family"),
        Kind::Own(F::Str),
        "default: the struct name in kebab-case",
    ),
    key(
        "fargate",
        Task,
        Json("requiresCompatibilities"),
        Kind::Own(F::Flag),
        "`FARGATE`; implies `networkMode: awsvpc`",
    ),
    key(
        "ec2",
        Task,
        Json("requiresCompatibilities"),
        Kind::Own(F::Flag),
        "`EC2`",
    ),
    key(
        "external",
        Task,
        Json("requiresCompatibilities"),
        Kind::Own(F::Flag),
        "`EXTERNAL`",
    ),
    key(
        "network_mode",
        Task,
        Json("networkMode"),
        Kind::Enum(Set::Task(|t, v| {
            t.network_mode = Some(v.parse()?);
            Ok(())
        })),
        "`awsvpc`, `bridge`, `host` or `none`",
    ),
    key(
        "cpu",
        Task,
        Json("cpu"),
        Kind::Own(F::IntOrStr),
        "CPU units, or an AWS size string such as `\"1 vCPU\"`",
    ),
    key(
        "memory",
        Task,
        Json("memory"),
        Kind::Own(F::IntOrStr),
        "MiB, or an AWS size string such as `\"2 GB\"`",
    ),
    key(
        "execution_role",
        Task,
        Json("executionRoleArn"),
        Kind::Str(Set::Task(|t, v| t.execution_role_arn = Some(v))),
        "the role ECS pulls images and reads secrets with",
    ),
    key(
        "task_role",
        Task,
        Json("taskRoleArn"),
        Kind::Str(Set::Task(|t, v| t.task_role_arn = Some(v))),
        "the role the containers run with",
    ),
    key(
        "region",
        Task,
        Member::None,
        Kind::Str(Set::TaskContext(|t, v| t.region = Some(v))),
        "the task's region: same-region rules, names in the policy",
    ),
    key(
        "platform_version",
        Task,
        Member::None,
        Kind::Str(Set::TaskContext(|t, v| t.platform_version = Some(v))),
        "the Fargate platform version: checked against the features used",
    ),
    key(
        "agent_version",
        Task,
        Member::None,
        Kind::Str(Set::TaskContext(|t, v| t.agent_version = Some(v))),
        "the ECS agent version of the EC2 instances: checked against the features used",
    ),
    key(
        "runtime_platform",
        Task,
        Json("runtimePlatform"),
        Kind::Own(F::Group),
        "the operating system family and CPU architecture",
    ),
    key(
        "ephemeral_storage",
        Task,
        Json("ephemeralStorage.sizeInGiB"),
        Kind::Int {
            min: 21,
            max: 200,
            set: Set::Task(|t, v| {
                t.ephemeral_storage = Some(EphemeralStorage { size_in_gib: v });
            }),
        },
        "GiB, 21-200",
    ),
    key(
        "tags",
        Task,
        Json("tags"),
        Kind::Own(F::StrMap),
        "the task definition's tags",
    ),
    key(
        "volume",
        Task,
        Json("volumes[]"),
        Kind::Own(F::Group),
        "a volume its containers can mount",
    )
    .repeatable(),
    key(
        "pid_mode",
        Task,
        Json("pidMode"),
        Kind::Enum(Set::Task(|t, v| {
            t.pid_mode = Some(v.parse()?);
            Ok(())
        })),
        "`host` or `task`",
    ),
    key(
        "ipc_mode",
        Task,
        Json("ipcMode"),
        Kind::Enum(Set::Task(|t, v| {
            t.ipc_mode = Some(v.parse()?);
            Ok(())
        })),
        "`host`, `task` or `none`",
    ),
    key(
        "extra",
        Task,
        Member::Any,
        Kind::Own(F::Json),
        "a JSON object merged into the request, checked against the complete model",
    ),
    key(
        "allow",
        Task,
        Member::None,
        Kind::Own(F::RuleNames),
        "silences warnings for the whole task",
    )
    .repeatable(),
    key(
        "crate",
        Task,
        Member::None,
        Kind::Own(F::Path),
        "for crates that re-export ecsdef",
    ),
    // `#[derive(TaskDefinition)]`, on each field.
    key(
        "name",
        TaskField,
        Json("name"),
        Kind::Str(Set::TaskField(|f, v| f.name = Some(v))),
        "overrides the container's",
    ),
    key(
        "essential",
        TaskField,
        Json("essential"),
        Kind::Bool(Set::TaskField(|f, v| f.essential = Some(v))),
        "overrides the container's",
    ),
    key(
        "cpu",
        TaskField,
        Json("cpu"),
        Kind::Int {
            min: 0,
            max: MAX,
            set: Set::TaskField(|f, v| f.cpu = Some(v)),
        },
        "overrides the container's",
    ),
    key(
        "memory",
        TaskField,
        Json("memory"),
        Kind::Int {
            min: 0,
            max: MAX,
            set: Set::TaskField(|f, v| f.memory = Some(v)),
        },
        "overrides the container's",
    ),
    key(
        "memory_reservation",
        TaskField,
        Json("memoryReservation"),
        Kind::Int {
            min: 0,
            max: MAX,
            set: Set::TaskField(|f, v| f.memory_reservation = Some(v)),
        },
        "overrides the container's",
    ),
    key(
        "depends_on",
        TaskField,
        Json("dependsOn[]"),
        Kind::Own(F::Group),
        "`condition` defaults to `START`",
    )
    .repeatable(),
    key(
        "allow",
        TaskField,
        Member::None,
        Kind::Own(F::RuleNames),
        "silences warnings for this container",
    )
    .repeatable(),
    // `port(...)`.
    key(
        "container",
        Group("port"),
        Json("containerPort"),
        Kind::Own(F::Int { min: 0, max: 65535 }),
        "the container's port",
    ),
    key(
        "host",
        Group("port"),
        Json("hostPort"),
        Kind::Own(F::Int { min: 0, max: 65535 }),
        "the host's port",
    ),
    key(
        "protocol",
        Group("port"),
        Json("protocol"),
        Kind::Own(F::Enum),
        "`tcp` or `udp`",
    ),
    key(
        "name",
        Group("port"),
        Json("name"),
        Kind::Own(F::Str),
        "for Service Connect",
    ),
    key(
        "app_protocol",
        Group("port"),
        Json("appProtocol"),
        Kind::Own(F::Enum),
        "`http`, `http2` or `grpc`",
    ),
    // `health_check(...)`.
    key(
        "command",
        Group("health_check"),
        Json("command"),
        Kind::Own(F::StrOrList),
        "a string runs with `CMD-SHELL`, a list as it is",
    ),
    key(
        "interval",
        Group("health_check"),
        Json("interval"),
        Kind::Own(F::Int {
            min: i32::MIN,
            max: MAX,
        }),
        "seconds between checks",
    ),
    key(
        "timeout",
        Group("health_check"),
        Json("timeout"),
        Kind::Own(F::Int {
            min: i32::MIN,
            max: MAX,
        }),
        "seconds a check may take",
    ),
    key(
        "retries",
        Group("health_check"),
        Json("retries"),
        Kind::Own(F::Int {
            min: i32::MIN,
            max: MAX,
        }),
        "failures before the container is unhealthy",
    ),
    key(
        "start_period",
        Group("health_check"),
        Json("startPeriod"),
        Kind::Own(F::Int {
            min: i32::MIN,
            max: MAX,
        }),
        "seconds of grace after start",
    ),
    // `log(...)`.
    key(
        "driver",
        Group("log"),
        Json("logDriver"),
        Kind::Own(F::Enum),
        "the log driver",
    ),
    key(
        "group",
        Group("log"),
        Json("options.awslogs-group"),
        Kind::Own(F::Str),
        "the CloudWatch log group",
    ),
    key(
        "region",
        Group("log"),
        Json("options.awslogs-region"),
        Kind::Own(F::Str),
        "the log group's region",
    ),
    key(
        "stream_prefix",
        Group("log"),
        Json("options.awslogs-stream-prefix"),
        Kind::Own(F::Str),
        "the prefix of the log streams' names",
    ),
    key(
        "create_group",
        Group("log"),
        Json("options.awslogs-create-group"),
        Kind::Own(F::Bool),
        "create the log group when it does not exist",
    ),
    key(
        "mode",
        Group("log"),
        Json("options.mode"),
        Kind::Own(F::Str),
        "`blocking` or `non-blocking`",
    ),
    key(
        "options",
        Group("log"),
        Json("options"),
        Kind::Own(F::StrMap),
        "any other option of the driver",
    ),
    // `ulimit(...)`.
    key(
        "name",
        Group("ulimit"),
        Json("name"),
        Kind::Own(F::Enum),
        "the limit: `nofile`, ...",
    ),
    key(
        "soft",
        Group("ulimit"),
        Json("softLimit"),
        Kind::Own(F::Int { min: 0, max: MAX }),
        "the soft limit",
    ),
    key(
        "hard",
        Group("ulimit"),
        Json("hardLimit"),
        Kind::Own(F::Int { min: 0, max: MAX }),
        "the hard limit",
    ),
    // `mount(...)`.
    key(
        "source",
        Group("mount"),
        Json("sourceVolume"),
        Kind::Own(F::Str),
        "the name of a task volume",
    ),
    key(
        "path",
        Group("mount"),
        Json("containerPath"),
        Kind::Own(F::Str),
        "where it is mounted in the container",
    ),
    key(
        "read_only",
        Group("mount"),
        Json("readOnly"),
        Kind::Own(F::Bool),
        "mounted read-only",
    ),
    // `runtime_platform(...)`.
    key(
        "os",
        Group("runtime_platform"),
        Json("operatingSystemFamily"),
        Kind::Own(F::Enum),
        "the operating system family: `LINUX`, `WINDOWS_SERVER_2022_CORE`, ...",
    ),
    key(
        "arch",
        Group("runtime_platform"),
        Json("cpuArchitecture"),
        Kind::Own(F::Enum),
        "`X86_64` or `ARM64`",
    ),
    // `volume(...)`.
    key(
        "name",
        Group("volume"),
        Json("name"),
        Kind::Own(F::Str),
        "the name mounts refer to",
    ),
    key(
        "host_path",
        Group("volume"),
        Json("host.sourcePath"),
        Kind::Own(F::Str),
        "a bind mount of this host path",
    ),
    key(
        "configured_at_launch",
        Group("volume"),
        Json("configuredAtLaunch"),
        Kind::Own(F::Bool),
        "configured when the task is run",
    ),
    // `depends_on(...)`.
    key(
        "container",
        Group("depends_on"),
        Json("containerName"),
        Kind::Own(F::Str),
        "the name of a container of the task",
    ),
    key(
        "condition",
        Group("depends_on"),
        Json("condition"),
        Kind::Own(F::Enum),
        "`START`, `COMPLETE`, `SUCCESS` or `HEALTHY`",
    ),
];

/// The keys of `level`, in order.
pub fn of(level: Level) -> impl Iterator<Item = &'static Key> + Clone {
    slice_of(level).iter()
}

/// The keys of `level`: one slice of [`KEYS`], which lists each level's keys together (a
/// test holds it to that). Found once, as every key of every declaration is looked up here.
fn slice_of(level: Level) -> &'static [Key] {
    static SLICES: OnceLock<Vec<(Level, Range<usize>)>> = OnceLock::new();
    let slices = SLICES.get_or_init(|| {
        let mut slices: Vec<(Level, Range<usize>)> = Vec::new();
        for (i, key) in KEYS.iter().enumerate() {
            match slices.last_mut() {
                Some((last, range)) if *last == key.level => range.end = i + 1,
                _ => slices.push((key.level, i..i + 1)),
            }
        }
        slices
    });
    slices
        .iter()
        .find(|(l, _)| *l == level)
        .map_or(&[], |(_, range)| &KEYS[range.clone()])
}

/// The key `name` of `level`.
pub fn find(level: Level, name: &str) -> Option<&'static Key> {
    of(level).find(|k| k.name == name)
}

/// The names of the keys of `level`, in order.
pub fn names(level: Level) -> impl Iterator<Item = &'static str> + Clone {
    of(level).map(|k| k.name)
}

/// Every level that has keys: the four of the derives, then each group's.
pub fn levels() -> Vec<Level> {
    let mut levels = vec![
        Level::Container,
        Level::ContainerField,
        Level::Task,
        Level::TaskField,
    ];
    for key in KEYS {
        if let Level::Group(group) = key.level
            && !levels.contains(&key.level)
        {
            levels.push(Level::Group(group));
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key is described once per level; each group's keys belong to a key of that name
    /// with the form of a group; each key the table parses writes into its own level's target.
    #[test]
    fn the_table_is_consistent() {
        for (i, key) in KEYS.iter().enumerate() {
            assert!(
                KEYS[..i]
                    .iter()
                    .all(|k| k.name != key.name || k.level != key.level),
                "`{}` is described twice at the {} level",
                key.name,
                key.level.noun()
            );
            if let Some(level) = key.kind.set_level() {
                assert_eq!(level, key.level, "`{}` writes into another level", key.name);
                assert!(
                    !key.repeatable,
                    "`{}` sets one value: it cannot repeat",
                    key.name
                );
            }
            assert!(!key.doc.is_empty(), "`{}` has no doc", key.name);
            assert!(
                slice_of(key.level).iter().any(|k| std::ptr::eq(k, key)),
                "`{}` is apart from the other keys of the {} level: list them together",
                key.name,
                key.level.noun()
            );
            if let Level::Group(group) = key.level {
                assert!(
                    KEYS.iter().any(|k| k.name == group
                        && matches!(k.kind, Kind::Own(Form::Group | Form::IntOrGroup))),
                    "no group `{group}` holds `{}`",
                    key.name
                );
            }
        }
    }
}
