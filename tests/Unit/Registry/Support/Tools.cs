using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PSContainer.Tests.Registry.Support;

/// <summary>External programs the registry tests drive; a missing one fails the test, never skips it.</summary>
internal static class Tools
{
    public static string Require(string path, string package) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"Prerequisite {path} is missing; install it with: apt-get install -y {package}");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to completion and returns its stdout; a non-zero exit fails with stderr.</summary>
    public static string Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in 60 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
