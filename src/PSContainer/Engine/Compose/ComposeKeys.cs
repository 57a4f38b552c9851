namespace PSContainer.Engine.Compose;

/// <summary>
/// The keys the Compose Specification defines, by section, and which of them this engine cannot honour yet.
/// A key outside the specification is an error (as in Docker Compose); a defined key the engine cannot honour
/// is reported by name before anything starts.
/// </summary>
internal static class ComposeKeys
{
    public static readonly HashSet<string> TopLevel = Set("version", "name", "services", "networks", "volumes", "secrets", "configs", "include", "models");

    public static readonly HashSet<string> Service = Set(
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs",
        "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
        "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
        "dns_search", "domainname", "driver_opts", "entrypoint", "env_file", "environment", "expose", "extends", "external_links",
        "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels",
        "links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models",
        "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start",
        "pre_stop", "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime",
        "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls",
        "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir");

    public static readonly HashSet<string> Build = Set(
        "context", "dockerfile", "dockerfile_inline", "args", "ssh", "cache_from", "cache_to", "additional_contexts", "entitlements",
        "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms", "privileged", "pull", "secrets", "shm_size", "tags",
        "target", "ulimits");

    public static readonly HashSet<string> Deploy = Set(
        "endpoint_mode", "labels", "mode", "placement", "replicas", "resources", "restart_policy", "rollback_config", "update_config");

    public static readonly HashSet<string> Resources = Set("limits", "reservations");

    public static readonly HashSet<string> Limits = Set("cpus", "memory", "pids");

    public static readonly HashSet<string> Healthcheck = Set("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable");

    public static readonly HashSet<string> Port = Set("name", "target", "published", "host_ip", "protocol", "app_protocol", "mode");

    public static readonly HashSet<string> Mount = Set("type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image");

    public static readonly HashSet<string> DependsOn = Set("condition", "restart", "required");

    public static readonly HashSet<string> ServiceNetwork = Set(
        "aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "driver_opts", "priority", "gw_priority", "interface_name");

    public static readonly HashSet<string> Network = Set(
        "name", "driver", "driver_opts", "attachable", "enable_ipv4", "enable_ipv6", "external", "internal", "ipam", "labels");

    public static readonly HashSet<string> Volume = Set("name", "driver", "driver_opts", "external", "labels");

    /// <summary>
    /// Service keys this engine cannot honour yet. A value equal to the default (restart: "no", privileged: false)
    /// changes nothing and is not reported.
    /// </summary>
    public static readonly HashSet<string> UnsupportedServiceKeys = Set(
        "attach", "blkio_config", "cgroup", "cgroup_parent", "configs", "cpu_count", "cpu_percent", "cpu_period",
        "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpuset", "credential_spec", "develop", "device_cgroup_rules",
        "devices", "dns", "dns_opt", "dns_search", "domainname", "driver_opts", "external_links", "extra_hosts", "gpus", "group_add",
        "ipc", "isolation", "label_file", "links", "logging", "mac_address", "mem_reservation", "mem_swappiness",
        "models", "oom_kill_disable", "oom_score_adj", "pid", "platform", "post_start", "pre_stop", "provider", "pull_refresh_after",
        "runtime", "secrets", "shm_size", "storage_opt", "sysctls", "use_api_socket", "userns_mode", "uts", "volumes_from");

    private static HashSet<string> Set(params string[] keys) => new(keys, StringComparer.Ordinal);
}
