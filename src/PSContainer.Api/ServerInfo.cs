using System.Reflection;

namespace PSContainer.Api;

/// <summary>What the server says about itself.</summary>
internal static class ServerInfo
{
    public static readonly string Version =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
