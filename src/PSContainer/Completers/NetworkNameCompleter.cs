using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Storage;

namespace PSContainer.Completers;

/// <summary>Completes network names from the store's configuration lists, without taking the store lock.</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<NetworkDefinition> networks;
        try
        {
            var options = EngineOptions.FromEnvironment();
            networks = new NetworkStore(new StoreLayout(options.Root, options.RunRoot).NetworksDir).List();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EngineException)
        {
            yield break;
        }
        var names = networks.Select(n => n.Name).Append(NetworkManager.DefaultNetwork).Distinct(StringComparer.Ordinal);
        foreach (var name in names.Where(n => pattern.IsMatch(n)).OrderBy(n => n, StringComparer.Ordinal))
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
    }
}
