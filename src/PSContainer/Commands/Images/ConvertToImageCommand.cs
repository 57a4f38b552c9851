using System.Management.Automation;
using PSContainer.Engine.Build;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>
/// Makes an image of a container (like <c>docker commit</c>): its image's layers plus its writable layer on
/// top, and its settings as the image config. A running container is paused while it is read.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Image", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ImageInfo))]
public sealed class ConvertToImageCommand : ContainerCmdlet
{
    /// <summary>Names for the new image, such as "web:snapshot".</summary>
    [Parameter(Position = 1)]
    [Alias("Reference")]
    public string[]? Tag { get; set; }

    /// <summary>Dockerfile instructions to apply: "CMD [\"sh\"]", "ENV A=1", "WORKDIR /app", "ENTRYPOINT …", "USER …", "LABEL …", "EXPOSE …", "VOLUME …", "STOPSIGNAL …".</summary>
    [Parameter]
    [Alias("c")]
    public string[]? Change { get; set; }

    /// <summary>A comment for the new history entry.</summary>
    [Parameter]
    [Alias("m")]
    public string? Message { get; set; }

    /// <summary>The author recorded in the image.</summary>
    [Parameter]
    [Alias("a")]
    public string? Author { get; set; }

    /// <summary>Read a running container without pausing it (its files may change meanwhile).</summary>
    [Parameter]
    public SwitchParameter NoPause { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Commit container to an image" + (Tag is { Length: > 0 } ? " " + string.Join(", ", Tag) : ""))) continue;
            TryEngine(() =>
            {
                var request = new CommitRequest { Tags = Tag ?? [], Changes = Change ?? [], Message = Message, Author = Author, Pause = !NoPause };
                var image = Engine.Committer.Commit(target.Id, request, CancelToken);
                WriteObject(Engine.Images.Describe(image, Tag is { Length: > 0 } ? Tag[0] : null));
            }, target.Name);
        }
    }
}
