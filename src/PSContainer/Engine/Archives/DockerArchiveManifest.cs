using System.Text.Json.Serialization;

namespace PSContainer.Engine.Archives;

/// <summary>One entry of a docker-archive's manifest.json: an image's config, names and layers, as paths in the tar.</summary>
internal sealed class DockerArchiveManifest
{
    /// <summary>The path of the image config.</summary>
    [JsonPropertyName("Config")] public string Config { get; set; } = "";

    /// <summary>The image's names in familiar form ("busybox:latest"); null for an image saved by id.</summary>
    [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; set; }

    /// <summary>The paths of the layer tars, base first.</summary>
    [JsonPropertyName("Layers")] public List<string> Layers { get; set; } = [];
}
