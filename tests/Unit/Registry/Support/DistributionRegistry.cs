using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace PSContainer.Tests.Registry.Support;

/// <summary>Debian's docker-registry (distribution v2) on 127.0.0.1, a free port and a temporary storage dir.</summary>
internal sealed class DistributionRegistry : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private DistributionRegistry(string directory, int port, Process process)
    {
        WorkDirectory = directory;
        Port = port;
        _process = process;
    }

    public string WorkDirectory { get; }

    public int Port { get; }

    /// <summary>The registry as references name it: "127.0.0.1:PORT".</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static DistributionRegistry Start(string? certificate = null, string? key = null, string? htpasswd = null)
    {
        var program = Tools.Require("/usr/bin/docker-registry", "docker-registry");
        var directory = Directory.CreateTempSubdirectory("psc-registry-").FullName;
        var port = Tools.FreePort();
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {directory}/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        config.Append('\n');
        if (certificate is not null)
            config.Append($"  tls:\n    certificate: {certificate}\n    key: {key}\n");
        if (htpasswd is not null)
            config.Append($"auth:\n  htpasswd:\n    realm: psc-test\n    path: {htpasswd}\n");
        var configPath = Path.Combine(directory, "config.yml");
        File.WriteAllText(configPath, config.ToString());

        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(configPath);
        var process = Process.Start(info)!;
        var registry = new DistributionRegistry(directory, port, process);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        registry.WaitUntilListening();
        return registry;
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Dispose();
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {Log}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        Dispose();
        throw new TimeoutException($"docker-registry did not listen on {Port} within 20 s: {Log}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}
