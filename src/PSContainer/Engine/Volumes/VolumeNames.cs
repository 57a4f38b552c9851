using System.Text.RegularExpressions;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Volumes;

/// <summary>Volume name rules (Docker's) and generated names for anonymous volumes.</summary>
internal static partial class VolumeNames
{
    // Docker's rule; 255 is the longest directory name the store can hold.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,254}$")]
    private static partial Regex ValidName();

    /// <summary>Whether <paramref name="name"/> is a valid volume name.</summary>
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    /// <summary>Throws unless <paramref name="name"/> is a valid volume name.</summary>
    public static void Validate(string name)
    {
        if (!IsValid(name))
            throw new EngineException("InvalidVolumeName", EngineErrorKind.InvalidArgument,
                $"Invalid volume name '{name}': use at least two of letters, digits, '_', '.' and '-', starting with a letter or digit.", name);
    }

    /// <summary>A new anonymous volume name: 64 hex digits, like a container id.</summary>
    public static string Generate() => RecordId.New();
}
