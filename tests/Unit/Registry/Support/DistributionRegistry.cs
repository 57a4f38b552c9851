using System.Diagnostics;
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
        // A free port can be taken by someone else before the registry binds it: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var registry = StartOnce(certificate, key, htpasswd);
            if (registry.WaitUntilListening())
                return registry;
            var log = registry.Log;
            registry.Dispose();
            if (attempt == 5 || !log.Contains("address already in use", StringComparison.Ordinal))
                throw new InvalidOperationException($"docker-registry did not start: {log}");
        }
    }

    private static DistributionRegistry StartOnce(string? certificate, string? key, string? htpasswd)
    {
        var program = Tools.Require("/usr/bin/docker-registry", "docker-registry");
        var directory = Directory.CreateTempSubdirectory("psc-registry-").FullName;
        var port = Tools.FreePort();
        // Info level for the "listening on" line, which only the process that bound the port writes.
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
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

    // True once this registry says it listens (a connect could reach whoever else holds the port); false when it exited.
    private bool WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Log.Contains($"listening on {Host}", StringComparison.Ordinal))
                return true;
            if (_process.HasExited)
            {
                _process.WaitForExit();
                return false;
            }
            Thread.Sleep(20);
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
