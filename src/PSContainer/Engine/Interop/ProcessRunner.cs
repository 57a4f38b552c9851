using System.Diagnostics;

namespace PSContainer.Engine.Interop;

/// <summary>Runs a helper program to completion and captures what it printed.</summary>
internal static class ProcessRunner
{
    /// <summary>The outcome of a run.</summary>
    public readonly record struct Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; stdin is <paramref name="input"/>, else empty.</summary>
    public static Result Run(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? input = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        // Readers first, so a program that writes before it has read all its input cannot block on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (input is not null) process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading all of its input; its exit code tells the rest.
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new EngineException("HelperTimeout", EngineErrorKind.Timeout, $"{file} did not finish in time.", file);
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Finds a program on PATH (or takes an absolute path), or null.</summary>
    public static string? Which(string name)
    {
        if (name.Contains('/'))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/libexec/podman"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
