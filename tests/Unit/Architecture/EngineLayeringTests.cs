using System.Text.RegularExpressions;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Architecture;

/// <summary>
/// The engine is a layered house (docs/ARCHITECTURE.md): each folder of src/PSContainer/Engine may use only
/// the folders its tier lies above. The graph is derived from the source — using directives, qualified
/// names and the engine's root types — so a new upward edge fails here, naming the file that made it.
/// </summary>
public sealed partial class EngineLayeringTests
{
    /// <summary>
    /// The tiers, bottom first: a folder may use every folder of a lower tier and none of its own or a higher
    /// one. A new folder is one more entry; an edge within a tier is declared in <see cref="SameTierUses"/>.
    /// Files in the Engine folder itself are nodes named after the file: EngineException (the one error type,
    /// usable everywhere), EngineOptions and ContainerEngine (the composition root).
    /// </summary>
    private static readonly string[][] Tiers =
    [
        ["EngineException"],
        ["Interop", "Oci"],
        ["FileSystem"],
        ["Storage"],
        ["Content"],
        ["EngineOptions"],
        ["References", "Layers"],
        ["Registry"],
        ["Images"],
        ["Archives"],
        ["Runtime"],
        ["Volumes", "Networks"],
        ["Containers"],
        ["Build"],
        ["Compose"],
        ["Diagnostics", "ApiService"],
        ["ContainerEngine"],
    ];

    /// <summary>Edges between folders of one tier (none so far: siblings stay independent).</summary>
    private static readonly (string From, string To)[] SameTierUses = [];

    /// <summary>
    /// Upward edges the code still has, each to be cut (docs/ARCHITECTURE.md, "Still to cut"). The list only
    /// shrinks: an entry whose edge is gone fails <see cref="EveryEdgeNotYetCutStillExists"/>, so the cut removes it.
    /// </summary>
    private static readonly (string From, string To)[] NotYetCut =
    [
    ];

    private static readonly string EngineRoot = SourceTree.PathOf("src/PSContainer/Engine");

    [Fact]
    public void EveryEngineFolderIsInTheDeclaredLayering()
    {
        var declared = Tiers.SelectMany(t => t).ToHashSet(StringComparer.Ordinal);
        var unknown = SourceFiles().Select(f => f.Node).Distinct().Where(n => !declared.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, "Engine folders missing from the layering (add them to Tiers and docs/ARCHITECTURE.md): " + string.Join(", ", unknown));
    }

    [Fact]
    public void NoEngineFolderUsesAFolderAboveOrBesideIt()
    {
        var violations = Edges()
            .Where(e => !Allowed(e.From, e.To) && !NotYetCut.Contains((e.From, e.To)))
            .Select(e => $"{e.From} -> {e.To} ({e.Evidence})")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(violations.Count == 0, "Edges against the layering:\n  " + string.Join("\n  ", violations));
    }

    [Fact]
    public void EveryEdgeNotYetCutStillExists()
    {
        var edges = Edges().Select(e => (e.From, e.To)).ToHashSet();
        var gone = NotYetCut.Where(e => !edges.Contains(e)).Select(e => $"{e.From} -> {e.To}").ToList();
        Assert.True(gone.Count == 0, "Cut already; remove from NotYetCut: " + string.Join(", ", gone));
    }

    [Fact]
    public void TheEngineUsesNoPowerShellTypeAndNothingAboveIt()
    {
        var offenders = SourceFiles()
            .Where(f => UpperLayerPattern().IsMatch(NoiseOutsideCode().Replace(f.Text, " ")))
            .Select(f => f.RelativePath)
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void OnlyProcessRunnerStartsProcesses()
    {
        var spawners = SourceFiles()
            .Where(f => f.RelativePath != "Interop/ProcessRunner.cs")
            .Where(f => ProcessStartPattern().IsMatch(NoiseOutsideCode().Replace(f.Text, " ")))
            .Select(f => f.RelativePath)
            .ToList();
        Assert.Empty(spawners);
    }

    [Fact]
    public void TheGraphIsDerivedFromTheSource()
    {
        // Guards the derivation itself: known edges must be seen, or the test above proves nothing.
        var edges = Edges().Select(e => (e.From, e.To)).ToHashSet();
        Assert.Contains(("FileSystem", "Interop"), edges);
        Assert.Contains(("Containers", "Runtime"), edges);
        Assert.Contains(("ContainerEngine", "Containers"), edges);
        Assert.Contains(("Content", "EngineException"), edges);
    }

    [Theory]
    [InlineData("using PSContainer.Engine.Containers;\nnamespace PSContainer.Engine.Volumes;", "Containers")]
    [InlineData("namespace PSContainer.Engine.Volumes;\nclass A { PSContainer.Engine.Networks.NetworkInfo? N; }", "Networks")]
    [InlineData("namespace PSContainer.Engine.Volumes;\nclass A { Containers.ContainerRecord? R; }", "Containers")]
    [InlineData("namespace PSContainer.Engine.Volumes;\nclass A { ContainerEngine? E; }", "ContainerEngine")]
    [InlineData("namespace PSContainer.Engine.Volumes;\n/// <see cref=\"Containers.ContainerRecord\"/>\nclass A { }", "Containers")]
    public void ReferencesOfEveryKindAreEdges(string source, string target)
    {
        var folders = SourceFiles().Select(f => f.Node).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(target, References(source, folders).Select(r => r.Node));
    }

    [Theory]
    [InlineData("namespace PSContainer.Engine.Volumes;\n// Containers.ContainerRecord in a comment\nclass A { }")]
    [InlineData("namespace PSContainer.Engine.Volumes;\nclass A { string S = \"Get-ContainerEngine\"; object C = engine.Containers.List(); }")]
    public void CommentsStringsAndMembersAreNotEdges(string source)
    {
        var folders = SourceFiles().Select(f => f.Node).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(References(source, folders), r => r.Node is "Containers" or "ContainerEngine");
    }

    private static bool Allowed(string from, string to)
    {
        if (from == to) return true;
        var fromTier = Array.FindIndex(Tiers, t => t.Contains(from));
        var toTier = Array.FindIndex(Tiers, t => t.Contains(to));
        return toTier < fromTier || (toTier == fromTier && SameTierUses.Contains((from, to)));
    }

    private sealed record SourceFile(string RelativePath, string Node, string Text);

    private sealed record Edge(string From, string To, string Evidence);

    private static List<SourceFile> SourceFiles() =>
        Directory.EnumerateFiles(EngineRoot, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(EngineRoot, path))
            .Where(relative => !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal))
            .Select(relative => new SourceFile(relative, NodeOf(relative), File.ReadAllText(Path.Combine(EngineRoot, relative))))
            .ToList();

    private static string NodeOf(string relative) =>
        relative.Contains('/') ? relative[..relative.IndexOf('/')] : Path.GetFileNameWithoutExtension(relative);

    private static List<Edge> Edges()
    {
        var files = SourceFiles();
        var nodes = files.Select(f => f.Node).ToHashSet(StringComparer.Ordinal);
        return files
            .SelectMany(f => References(f.Text, nodes).Select(r => new Edge(f.Node, r.Node, $"{f.RelativePath}: {r.Evidence}")))
            .Where(e => e.From != e.To)
            .DistinctBy(e => (e.From, e.To, e.Evidence))
            .ToList();
    }

    /// <summary>
    /// The engine nodes a source text refers to: using directives and fully or partly qualified names of
    /// engine namespaces, and identifiers naming a type of the root namespace (visible everywhere without a
    /// using). Comments (crefs excepted), strings and character literals are left out first.
    /// </summary>
    private static IEnumerable<(string Node, string Evidence)> References(string text, ISet<string> nodes)
    {
        var crefs = string.Join(' ', CrefPattern().Matches(text).Select(m => m.Groups[1].Value));
        var code = NoiseOutsideCode().Replace(text, " ") + " " + crefs;
        foreach (Match m in UsingPattern().Matches(code))
            yield return (m.Groups[1].Value, m.Value.Trim());
        foreach (Match m in QualifiedPattern().Matches(code))
            if (nodes.Contains(m.Groups[1].Value))
                yield return (m.Groups[1].Value, m.Value);
        // A bare Folder.Type (resolved through the enclosing PSContainer.Engine namespace); a member access
        // such as engine.Containers.List() is preceded by a dot and so is not one.
        foreach (Match m in PartlyQualifiedPattern().Matches(code))
            if (nodes.Contains(m.Groups[1].Value) && Directory.Exists(Path.Combine(EngineRoot, m.Groups[1].Value)) && DeclaresType(m.Groups[1].Value, m.Groups[2].Value))
                yield return (m.Groups[1].Value, m.Value);
        foreach (Match m in IdentifierPattern().Matches(code))
            if (RootTypes.TryGetValue(m.Value, out var node))
                yield return (node, m.Value);
    }

    private static readonly Dictionary<string, string> RootTypes = RootTypeNames();

    private static Dictionary<string, string> RootTypeNames()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(EngineRoot, "*.cs", SearchOption.TopDirectoryOnly))
            foreach (Match m in DeclarationPattern().Matches(File.ReadAllText(file)))
                map[m.Groups[1].Value] = Path.GetFileNameWithoutExtension(file);
        return map;
    }

    private static readonly Dictionary<string, HashSet<string>> FolderTypes = new(StringComparer.Ordinal);

    private static bool DeclaresType(string folder, string type)
    {
        lock (FolderTypes)
        {
            if (!FolderTypes.TryGetValue(folder, out var types))
            {
                types = Directory.EnumerateFiles(Path.Combine(EngineRoot, folder), "*.cs", SearchOption.AllDirectories)
                    .SelectMany(f => DeclarationPattern().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
                    .ToHashSet(StringComparer.Ordinal);
                FolderTypes[folder] = types;
            }
            return types.Contains(type);
        }
    }

    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|@"(?:""|[^"])*"|\$*"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\])'""", RegexOptions.Singleline)]
    private static partial Regex NoiseOutsideCode();

    [GeneratedRegex("""cref="([^"]+)"[^>]*>""")]
    private static partial Regex CrefPattern();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?PSContainer\.Engine\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingPattern();

    [GeneratedRegex(@"\bSystem\.Management\.Automation\b|\bPSContainer\.(?:Commands|Completers|Transformations)\b")]
    private static partial Regex UpperLayerPattern();

    [GeneratedRegex(@"\bProcess\.Start\b|\bProcessStartInfo\b")]
    private static partial Regex ProcessStartPattern();

    [GeneratedRegex(@"\bPSContainer\.Engine\.(\w+)")]
    private static partial Regex QualifiedPattern();

    [GeneratedRegex(@"(?<![\w.])(\w+)\.(\w+)")]
    private static partial Regex PartlyQualifiedPattern();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^(?:(?:public|internal|static|sealed|abstract|readonly|partial|file)\s+)*(?:class|struct|record\s+struct|record\s+class|record|enum|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex DeclarationPattern();
}
