using PSContainer.Engine.Content;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine;

/// <summary>Where the engine keeps its state and which runtime it prefers.</summary>
internal sealed record EngineOptions(string Root, string RunRoot, string? Runtime)
{
    /// <summary>
    /// Options from the environment (PSCONTAINER_ROOT, PSCONTAINER_RUNROOT, PSCONTAINER_RUNTIME), falling
    /// back to the defaults. A root other than the default gets a run root of its own, so test stores
    /// never share runtime state with the real one.
    /// </summary>
    public static EngineOptions FromEnvironment(string? root = null, string? runtime = null)
    {
        root ??= Environment.GetEnvironmentVariable("PSCONTAINER_ROOT") ?? Storage.StoreLayout.DefaultRoot;
        var runRoot = Environment.GetEnvironmentVariable("PSCONTAINER_RUNROOT");
        if (string.IsNullOrEmpty(runRoot))
        {
            var full = Path.GetFullPath(root);
            runRoot = full == Storage.StoreLayout.DefaultRoot
                ? Storage.StoreLayout.DefaultRunRoot
                : Path.Combine(Storage.StoreLayout.DefaultRunRoot + "-" + Content.Digest.Of(System.Text.Encoding.UTF8.GetBytes(full)).Hex[..12]);
        }
        runtime ??= Environment.GetEnvironmentVariable("PSCONTAINER_RUNTIME");
        return new EngineOptions(root, runRoot, string.IsNullOrEmpty(runtime) ? null : runtime);
    }
}
