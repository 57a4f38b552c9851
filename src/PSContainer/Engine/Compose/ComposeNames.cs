using System.Text.RegularExpressions;

namespace PSContainer.Engine.Compose;

/// <summary>Names as Docker Compose makes them: project names, &lt;project&gt;-&lt;service&gt;-&lt;n&gt; containers.</summary>
internal static partial class ComposeNames
{
    /// <summary>A directory name made into a project name: lower case, only [a-z0-9_-], not starting with '_' or '-'.</summary>
    public static string Normalize(string name) =>
        new string(name.ToLowerInvariant().Where(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-').ToArray()).TrimStart('_', '-');

    /// <summary>Checks an explicit project name (-ProjectName, name:, COMPOSE_PROJECT_NAME).</summary>
    public static string ValidateProject(string name, string source)
    {
        if (name.Length == 0)
            throw new EngineException("ComposeProjectNameInvalid", EngineErrorKind.InvalidArgument, $"The project name from {source} is empty.", name);
        if (!ProjectPattern().IsMatch(name))
            throw new EngineException("ComposeProjectNameInvalid", EngineErrorKind.InvalidArgument,
                $"'{name}' (from {source}) is not a valid project name: use lowercase letters, digits, dashes and underscores, starting with a letter or digit.", name);
        return name;
    }

    public static void ValidateService(string name)
    {
        if (!ServicePattern().IsMatch(name))
            throw ComposeErrors.InvalidValue($"services.{name}", $"'{name}' is not a valid service name (letters, digits, '.', '_', '-').");
    }

    /// <summary>The name of a service's <paramref name="number"/>th container.</summary>
    public static string Container(string project, ComposeService service, int number) =>
        service.ContainerName ?? $"{project}-{service.Name}-{number}";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9._-]*$")]
    private static partial Regex ServicePattern();
}
