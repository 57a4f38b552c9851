using PSContainer.Engine.Containers;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Builds images from Dockerfiles: the entry point of Build-Image, of compose's build and of the API's
/// POST /build. Each RUN, COPY and ADD adds one layer; unchanged steps come from the build cache.
/// </summary>
internal sealed class ImageBuilder
{
    private readonly BuildDependencies _dependencies;

    public ImageBuilder(BuildDependencies dependencies) => _dependencies = dependencies;

    /// <summary>Builds what <paramref name="request"/> asks for and returns the stored (and tagged) image.</summary>
    public ImageRecord Build(BuildRequest request, Action<BuildProgress> progress, CancellationToken cancel)
    {
        var context = Path.GetFullPath(request.ContextDirectory);
        if (!Directory.Exists(context))
            throw new EngineException("BuildContextNotFound", EngineErrorKind.NotFound, $"The build context {context} is not a directory.", request.ContextDirectory);
        var dockerfile = DockerfileOf(request, context);
        var display = Path.GetRelativePath(context, dockerfile) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) ? relative : dockerfile;
        var file = DockerfileParser.Parse(File.ReadAllText(dockerfile), display);
        foreach (var tag in request.Tags) References.ImageReference.Parse(tag);
        var buildContext = new BuildContext(context, DockerignoreMatcher.ForContext(context, dockerfile));
        using var session = new BuildSession(_dependencies, request, file, buildContext, progress, cancel);
        return session.Run();
    }

    /// <summary>Removes what builds killed mid-way left behind: their containers, mounts and scratch directories.</summary>
    public void RemoveLeftovers()
    {
        _dependencies.Runner.RemoveLeftovers();
        BuildWorkspace.RemoveLeftovers(_dependencies.Layout);
    }

    private static string DockerfileOf(BuildRequest request, string context)
    {
        if (request.Dockerfile is { } given)
        {
            var path = Path.IsPathRooted(given) ? given : File.Exists(Path.GetFullPath(given)) ? Path.GetFullPath(given) : Path.Combine(context, given);
            if (!File.Exists(path))
                throw new EngineException("DockerfileNotFound", EngineErrorKind.NotFound, $"Dockerfile {given} does not exist.", given);
            return path;
        }
        foreach (var name in new[] { "Dockerfile", "Containerfile" })
            if (File.Exists(Path.Combine(context, name))) return Path.Combine(context, name);
        throw new EngineException("DockerfileNotFound", EngineErrorKind.NotFound, $"The context {context} has no Dockerfile or Containerfile; name one with -File.", context);
    }
}
