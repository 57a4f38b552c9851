using System.Diagnostics;

namespace PSContainer.Engine.Interop;

/// <summary>
/// The one way the engine starts a program: helpers run to completion with what they printed captured,
/// programs the caller talks to while they run, and programs that detach (conmon).
/// </summary>
internal static class ProcessRunner
{
    /// <summary>The outcome of a run.</summary>
    public readonly record struct Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/> (else the
    /// current one); stdin is <paramref name="input"/>, else empty.
    /// </summary>
    public static Result Run(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null,
        string? input = null, string? workingDirectory = null)
    {
        using var process = Start(Piped(file, args, environment, workingDirectory));
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

    /// <summary>
    /// Starts <paramref name="file"/> with its standard streams piped to the caller as UTF-8 text, for a program
    /// the caller feeds and reads while it runs; the caller waits for it and disposes it.
    /// </summary>
    public static Process StartPiped(string file, IEnumerable<string> args)
    {
        var info = Piped(file, args, null, null);
        info.StandardInputEncoding = Utf8;
        info.StandardOutputEncoding = Utf8;
        info.StandardErrorEncoding = Utf8;
        return Start(info);
    }

    /// <summary>
    /// Starts <paramref name="file"/>, a program that detaches (daemonizes): its stdin is closed at once and its
    /// stdout drained. Returns what it writes to stderr until it closes it, which a detaching program does.
    /// Only descriptors without close-on-exec cross into it; <paramref name="environment"/> may name them.
    /// </summary>
    public static Task<string> Spawn(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string> environment)
    {
        using var process = Start(Piped(file, args, environment, workingDirectory));
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        return process.StandardError.ReadToEndAsync();
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

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static ProcessStartInfo Piped(string file, IEnumerable<string> args, IDictionary<string, string>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        return info;
    }

    private static Process Start(ProcessStartInfo info) =>
        Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {info.FileName}.");
}
