using System.Management.Automation;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>Lists images, one object per tag (like <c>docker images</c>).</summary>
[Cmdlet(VerbsCommon.Get, "Image", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ImageInfo))]
public sealed class GetImageCommand : EngineCmdlet
{
    /// <summary>Image names ("busybox", "busybox:1.36", wildcards on the familiar name) or ids.</summary>
    [Parameter(Position = 0, ParameterSetName = "ByName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Image ids; binds from piped objects' ImageId or Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("ImageId")]
    public string[]? Id { get; set; }

    /// <summary>Images from the pipeline: an ImageInfo, or a ContainerInfo (the image it was created from).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "ByObject")]
    public object[]? InputObject { get; set; }

    /// <summary>Only untagged images.</summary>
    [Parameter]
    public SwitchParameter Dangling { get; set; }

    private static string Key(object piped) => (piped is PSObject wrapped ? wrapped.BaseObject : piped) switch
    {
        ImageInfo image => image.Id,
        PSContainer.Engine.Containers.ContainerInfo container => container.ImageId,
        var other => LanguagePrimitives.ConvertTo<string>(other),
    };

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        TryEngine(() =>
        {
            var all = Engine.Images.List();
            if (Dangling) all = all.Where(i => i.Repository == "<none>").ToList();
            var keys = (IEnumerable<string>?)Name ?? Id ?? InputObject?.Select(Key);
            if (keys is null)
            {
                WriteObject(all, enumerateCollection: true);
                return;
            }
            foreach (var key in keys)
            {
                if (WildcardPattern.ContainsWildcardCharacters(key))
                {
                    var pattern = new WildcardPattern(key, WildcardOptions.IgnoreCase);
                    WriteObject(all.Where(i => pattern.IsMatch(i.Name) || pattern.IsMatch(i.Repository)), enumerateCollection: true);
                    continue;
                }
                // A repository without a tag lists all its tags, as docker images ubuntu does.
                var tags = ParameterSetName == "ByName" && !key.Contains(':') && !key.Contains('@')
                    ? all.Where(i => string.Equals(i.Repository, key, StringComparison.OrdinalIgnoreCase)).ToList() : [];
                if (tags.Count > 0) WriteObject(tags, enumerateCollection: true);
                else TryEngine(() => WriteObject(Engine.Images.Describe(Engine.Images.Resolve(key), key)), key);
            }
        });
    }
}
