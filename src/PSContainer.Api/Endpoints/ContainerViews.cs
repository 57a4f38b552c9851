using System.Globalization;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;
using PSContainer.Engine.Oci;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Volumes;

namespace PSContainer.Api.Endpoints;

/// <summary>Containers in the Docker API's shapes: the <c>/containers/json</c> entry and the inspect document.</summary>
internal static class ContainerViews
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    public static string State(ContainerStatus status) => status.ToString().ToLowerInvariant();

    public static Dictionary<string, object?> Summary(ContainerRecord record, bool size)
    {
        var info = ContainerInfo.From(record);
        var summary = new Dictionary<string, object?>
        {
            ["Id"] = record.Id,
            ["Names"] = new[] { "/" + record.Name },
            ["Image"] = record.ImageName,
            ["ImageID"] = record.ImageId,
            ["Command"] = info.CommandText,
            ["Created"] = record.Created.ToUnixTimeSeconds(),
            ["Ports"] = PortList(record),
            ["Labels"] = record.Settings.Labels,
            ["State"] = State(record.State.Status),
            ["Status"] = info.StatusText,
            ["HostConfig"] = new { NetworkMode = NetworkMode(record) },
            ["NetworkSettings"] = new { Networks = Networks(record) },
            ["Mounts"] = Mounts(record),
        };
        if (size) summary["SizeRw"] = 0L;
        return summary;
    }

    public static object Inspect(ContainerRecord record, OciRunConfig? image, string? health)
    {
        var s = record.Settings;
        var state = record.State;
        var running = state.Status is ContainerStatus.Running or ContainerStatus.Paused;
        return new Dictionary<string, object?>
        {
            ["Id"] = record.Id,
            ["Created"] = Time(record.Created),
            ["Path"] = record.Command.FirstOrDefault() ?? "",
            ["Args"] = record.Command.Skip(1).ToArray(),
            ["State"] = new Dictionary<string, object?>
            {
                ["Status"] = State(state.Status),
                ["Running"] = running,
                ["Paused"] = state.Status == ContainerStatus.Paused,
                ["Restarting"] = false,
                ["OOMKilled"] = state.OomKilled,
                ["Dead"] = false,
                ["Pid"] = running ? state.Pid : 0,
                ["ExitCode"] = state.ExitCode ?? 0,
                ["Error"] = state.Error ?? "",
                ["StartedAt"] = state.StartedAt is { } started ? Time(started) : ZeroTime,
                ["FinishedAt"] = state.FinishedAt is { } finished ? Time(finished) : ZeroTime,
                ["Health"] = health is null ? null : new { Status = health, FailingStreak = 0, Log = Array.Empty<object>() },
            },
            ["Image"] = record.ImageId,
            ["ResolvConfPath"] = "",
            ["HostnamePath"] = "",
            ["HostsPath"] = "",
            ["LogPath"] = "",
            ["Name"] = "/" + record.Name,
            ["RestartCount"] = state.RestartCount,
            ["Driver"] = "overlay",
            ["Platform"] = "linux",
            ["MountLabel"] = "",
            ["ProcessLabel"] = "",
            ["AppArmorProfile"] = "",
            ["ExecIDs"] = null,
            ["HostConfig"] = new Dictionary<string, object?>
            {
                ["Binds"] = s.Mounts.Where(m => m.Type == MountType.Bind).Select(m => $"{m.Source}:{m.Target}{(m.ReadOnly ? ":ro" : "")}").ToArray(),
                ["NetworkMode"] = NetworkMode(record),
                ["PortBindings"] = PortBindings(s.Ports),
                ["RestartPolicy"] = new { Name = "no", MaximumRetryCount = 0 },
                ["AutoRemove"] = s.AutoRemove,
                ["PublishAllPorts"] = s.PublishAll,
                ["ReadonlyRootfs"] = s.ReadOnly,
                ["Memory"] = s.Memory ?? 0,
                ["MemorySwap"] = s.MemorySwap ?? 0,
                ["NanoCpus"] = s.Cpus is { } cpus ? (long)(cpus * 1e9) : 0,
                ["PidsLimit"] = s.PidsLimit,
                ["Runtime"] = s.Runtime ?? Path.GetFileName(state.RuntimePath ?? "") ?? "",
                ["Privileged"] = false,
                ["LogConfig"] = new { Type = "k8s-file", Config = new Dictionary<string, string>() },
                ["Ulimits"] = s.Ulimits.Select(u => new { u.Name, u.Soft, u.Hard }).ToArray(),
                ["Tmpfs"] = s.Mounts.Where(m => m.Type == MountType.Tmpfs).ToDictionary(m => m.Target, _ => ""),
            },
            ["Mounts"] = Mounts(record),
            ["Config"] = new Dictionary<string, object?>
            {
                ["Hostname"] = s.Hostname ?? record.Id[..12],
                ["Domainname"] = "",
                ["User"] = s.User ?? image?.User ?? "",
                ["AttachStdin"] = s.Interactive,
                ["AttachStdout"] = true,
                ["AttachStderr"] = true,
                ["ExposedPorts"] = ExposedPorts(record, image),
                ["Tty"] = s.Tty,
                ["OpenStdin"] = s.Interactive,
                ["StdinOnce"] = s.StdinOnce,
                ["Env"] = SpecBuilder.Environment(s, image, s.Hostname ?? record.Id[..12]),
                ["Cmd"] = s.Command ?? (s.Entrypoint is null ? image?.Cmd : null),
                ["Image"] = record.ImageName,
                ["Volumes"] = s.Mounts.Where(m => m.Type == MountType.Volume && m.Anonymous).ToDictionary(m => m.Target, _ => new { }),
                ["WorkingDir"] = s.WorkingDirectory ?? image?.WorkingDir ?? "",
                ["Entrypoint"] = s.Entrypoint ?? image?.Entrypoint,
                ["Labels"] = s.Labels,
                ["StopSignal"] = s.StopSignal,
                ["StopTimeout"] = s.StopTimeout,
            },
            ["NetworkSettings"] = NetworkSettings(record),
        };
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string NetworkMode(ContainerRecord record) => record.Settings.Network ?? "none";

    private static object[] PortList(ContainerRecord record) =>
        ContainerNetworking.PortsOf(record).SelectMany(p => HostIps(p).Select(ip => (object)new
        {
            IP = ip,
            PrivatePort = p.ContainerPort,
            PublicPort = p.HostPort,
            Type = p.Protocol,
        })).ToArray();

    // A port published on every address is shown as docker shows it: once on 0.0.0.0, once on ::.
    private static IEnumerable<string> HostIps(PortMapping port) =>
        port.HostIp is "" or "0.0.0.0" ? ["0.0.0.0", "::"] : [port.HostIp];

    private static Dictionary<string, object?> PortBindings(IEnumerable<PortMapping> ports) =>
        ports.GroupBy(p => $"{p.ContainerPort}/{p.Protocol}").ToDictionary(g => g.Key,
            g => (object?)g.Select(p => new { HostIp = p.HostIp, HostPort = p.HostPort == 0 ? "" : p.HostPort.ToString(CultureInfo.InvariantCulture) }).ToArray());

    private static Dictionary<string, object> ExposedPorts(ContainerRecord record, OciRunConfig? image)
    {
        var exposed = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var key in image?.ExposedPorts?.Keys ?? Enumerable.Empty<string>()) exposed[key] = new { };
        foreach (var port in record.Settings.Ports) exposed[$"{port.ContainerPort}/{port.Protocol}"] = new { };
        return exposed;
    }

    private static object NetworkSettings(ContainerRecord record)
    {
        var ports = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var port in record.Settings.Ports) ports[$"{port.ContainerPort}/{port.Protocol}"] = null;
        var running = record.State.Status is ContainerStatus.Running or ContainerStatus.Paused;
        if (running)
            foreach (var group in ContainerNetworking.PortsOf(record).GroupBy(p => $"{p.ContainerPort}/{p.Protocol}"))
                ports[group.Key] = group.SelectMany(p => HostIps(p).Select(ip => new { HostIp = ip, HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture) })).ToArray();
        var first = record.Network.Endpoints.FirstOrDefault();
        return new Dictionary<string, object?>
        {
            ["Bridge"] = "",
            ["SandboxID"] = record.Network.Namespace ?? "",
            ["SandboxKey"] = record.Network.SandboxPath ?? "",
            ["HairpinMode"] = false,
            ["Ports"] = ports,
            ["Gateway"] = first?.Gateway ?? "",
            ["IPAddress"] = first?.IPAddress ?? "",
            ["IPPrefixLen"] = first?.PrefixLength ?? 0,
            ["MacAddress"] = first?.MacAddress ?? "",
            ["Networks"] = Networks(record),
        };
    }

    private static Dictionary<string, object> Networks(ContainerRecord record) =>
        record.Network.Endpoints.ToDictionary(e => e.Network, e => (object)new
        {
            Aliases = e.Aliases,
            NetworkID = e.Network,
            EndpointID = e.Interface ?? "",
            Gateway = e.Gateway ?? "",
            IPAddress = e.IPAddress ?? "",
            IPPrefixLen = e.PrefixLength,
            MacAddress = e.MacAddress ?? "",
            IPv6Gateway = "",
            GlobalIPv6Address = "",
            GlobalIPv6PrefixLen = 0,
        });

    private static object[] Mounts(ContainerRecord record) =>
        record.Settings.Mounts.Select(m => (object)new
        {
            Type = m.Type.ToString().ToLowerInvariant(),
            Name = m.Type == MountType.Volume ? m.Source : null,
            Source = m.Source ?? "",
            Destination = m.Target,
            Driver = m.Type == MountType.Volume ? "local" : null,
            Mode = m.ReadOnly ? "ro" : "",
            RW = !m.ReadOnly,
            Propagation = m.Type == MountType.Bind ? "rprivate" : "",
        }).ToArray();
}
