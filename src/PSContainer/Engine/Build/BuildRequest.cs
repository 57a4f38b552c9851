using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>What Build-Image (and the API's POST /build, and compose) ask the builder for.</summary>
internal sealed class BuildRequest
{
    /// <summary>The context directory; nothing outside it is read.</summary>
    public string ContextDirectory { get; init; } = ".";

    /// <summary>The Dockerfile; null means Dockerfile, else Containerfile, in the context.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Tags for the result; none leaves it untagged.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>-BuildArg values.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage to build; null is the last one.</summary>
    public string? Target { get; init; }

    /// <summary>Run every step, reusing nothing.</summary>
    public bool NoCache { get; init; }

    /// <summary>Pull base images even when they are present.</summary>
    public bool Pull { get; init; }

    /// <summary>Labels added to the result.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>os/arch[/variant]; only the host's platform can run RUN steps.</summary>
    public string? Platform { get; init; }

    /// <summary>The network of RUN steps: bridge, none or host.</summary>
    public string Network { get; init; } = "bridge";

    /// <summary>Secrets for RUN --mount=type=secret: id → host file.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Registry options for pulling base images.</summary>
    public Registry.RegistryClientOptions? RegistryOptions { get; init; }
}
