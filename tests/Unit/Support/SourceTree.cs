using System.Runtime.CompilerServices;

namespace PSContainer.Tests.Support;

/// <summary>The repository the tests were compiled from, for tests that read the sources themselves.</summary>
internal static class SourceTree
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = Locate();

    /// <summary>A path below the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Locate([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
