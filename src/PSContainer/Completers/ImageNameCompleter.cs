using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.References;
using PSContainer.Engine.Storage;

namespace PSContainer.Completers;

/// <summary>Completes image names (familiar repository:tag) from the store's tag index.</summary>
public sealed class ImageNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<string> names;
        try
        {
            var options = EngineOptions.FromEnvironment();
            var layout = new StoreLayout(options.Root, options.RunRoot);
            names = new ImageStore(layout, new ContentStore(layout.BlobsDir, layout.TempDir)).Tags().Keys.Select(t => ImageReference.Parse(t).FamiliarName).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EngineException)
        {
            yield break;
        }
        foreach (var name in names.Where(n => pattern.IsMatch(n)).Order(StringComparer.Ordinal))
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
    }
}
