using System.Text.RegularExpressions;

namespace PSContainer.Engine.Networks;

/// <summary>Network name rules.</summary>
internal static partial class NetworkNames
{
    /// <summary>Names that are modes rather than networks.</summary>
    public static readonly string[] Reserved = ["none", "host", "default"];

    // A network name is also a file name (<name>.conflist) and a CNI network name.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$")]
    private static partial Regex ValidName();

    /// <summary>Throws unless <paramref name="name"/> is a valid network name.</summary>
    public static void Validate(string name)
    {
        if (!ValidName().IsMatch(name))
            throw new EngineException("InvalidNetworkName", EngineErrorKind.InvalidArgument,
                $"Invalid network name '{name}': use up to 64 letters, digits, '_', '.' and '-', starting with a letter or digit.", name);
    }
}
