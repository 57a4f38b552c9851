using System.Collections;
using System.Globalization;
using System.Management.Automation;
using PSContainer.Engine.Volumes;

namespace PSContainer.Commands.Containers;

/// <summary>Turns -Volume strings and -Mount strings or hashtables into mount settings.</summary>
internal static class MountArguments
{
    /// <summary>
    /// The mounts that -Volume and -Mount describe, in that order. A -Mount item is Docker's string form or a
    /// hashtable with the same keys (Type, Source, Target, ReadOnly, TmpfsSize, …); relative host paths are
    /// taken from <paramref name="currentDirectory"/>.
    /// </summary>
    public static List<MountSetting> From(string[]? volumes, object[]? mounts, string currentDirectory)
    {
        var list = (volumes ?? []).Select(v => MountParser.ParseVolume(v, currentDirectory)).ToList();
        foreach (var item in mounts ?? [])
        {
            var value = item is PSObject pso ? pso.BaseObject : item;
            if (value is IDictionary table)
            {
                var fields = new List<KeyValuePair<string, string?>>();
                foreach (DictionaryEntry entry in table)
                    fields.Add(new(LanguagePrimitives.ConvertTo<string>(entry.Key), Text(entry.Value)));
                list.Add(MountParser.FromFields(fields, currentDirectory, Display(table)));
            }
            else
            {
                list.Add(MountParser.ParseMount(LanguagePrimitives.ConvertTo<string>(value), currentDirectory));
            }
        }
        return list;
    }

    // Booleans and sizes arrive as .NET values ($true, 64MB); the parser reads their invariant text.
    private static string? Text(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
    {
        null => null,
        bool flag => flag ? "true" : "false",
        SwitchParameter flag => flag.IsPresent ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        var other => LanguagePrimitives.ConvertTo<string>(other),
    };

    private static string Display(IDictionary table) =>
        "@{" + string.Join("; ", table.Keys.Cast<object>().Select(k => $"{k}={Text(table[k])}")) + "}";
}
