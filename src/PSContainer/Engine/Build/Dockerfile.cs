using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>A parsed Dockerfile: the ARGs before the first FROM and the stages in order.</summary>
/// <param name="Path">The file's name for messages.</param>
/// <param name="EscapeCharacter">The escape character its <c># escape=</c> directive chose.</param>
/// <param name="GlobalArgs">The ARG instructions before the first FROM.</param>
/// <param name="Stages">The stages, first to last.</param>
internal sealed record Dockerfile(string Path, char EscapeCharacter, IReadOnlyList<DockerfileInstruction> GlobalArgs, IReadOnlyList<DockerfileStage> Stages);

/// <summary>One build stage: its FROM and the instructions after it.</summary>
/// <param name="Index">Its position, from 0 (what <c>COPY --from=0</c> names).</param>
/// <param name="From">The FROM instruction that opens it.</param>
/// <param name="Instructions">The instructions up to the next FROM.</param>
internal sealed record DockerfileStage(int Index, DockerfileInstruction From, IReadOnlyList<DockerfileInstruction> Instructions)
{
    /// <summary>The name given with <c>AS</c>, lower case, or null.</summary>
    public string? Name
    {
        get
        {
            var words = From.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2].ToLowerInvariant() : null;
        }
    }

    /// <summary>The base image or stage as written, before variables are expanded.</summary>
    public string BaseName => From.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
}
