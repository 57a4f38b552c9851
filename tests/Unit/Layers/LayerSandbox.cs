using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.Layers;

/// <summary>A temp directory holding the unpack target and a sibling that nothing may ever reach.</summary>
internal sealed class LayerSandbox : IDisposable
{
    public LayerSandbox()
    {
        Root = Directory.CreateTempSubdirectory("pscontainer-layers-").FullName;
        Target = Path.Combine(Root, "diff");
        Outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Target);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Marker, "original");
    }

    public string Root { get; }
    public string Target { get; }
    public string Outside { get; }

    /// <summary>A file outside the target that hostile layers aim at.</summary>
    public string Marker => Path.Combine(Outside, "marker");

    public string In(string relative) => Path.Combine(Target, relative);

    public Libc.Statx Stat(string relative) =>
        Libc.LStat(In(relative)) ?? throw new Xunit.Sdk.XunitException($"{relative} does not exist");

    /// <summary>Everything in the sandbox apart from the target's own content.</summary>
    public string[] EverythingOutsideTarget() =>
        Directory.EnumerateFileSystemEntries(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(p => p != Target && !p.StartsWith(Target + "/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public void AssertNothingEscaped()
    {
        Assert.Equal([Outside, Marker], EverythingOutsideTarget());
        Assert.Equal("original", File.ReadAllText(Marker));
        Assert.Empty(PSContainer.Engine.FileSystem.LayerXattrs.Read(Outside));
        Assert.Empty(PSContainer.Engine.FileSystem.LayerXattrs.Read(Marker));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
