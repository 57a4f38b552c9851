using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine.Runtime;

namespace PSContainer.Completers;

/// <summary>Completes capability names for -CapAdd and -CapDrop, in Docker's short spelling (NET_ADMIN), and ALL.</summary>
public sealed class CapabilityCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        var full = typed.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase);
        var names = LinuxCapabilities.Known.Select(n => full ? n : n[4..]).Prepend(LinuxCapabilities.AllKeyword);
        foreach (var name in names.Where(n => pattern.IsMatch(n)))
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, name);
    }
}
