using System.Text.Json.Serialization;

namespace PSContainer.Engine.Archives;

/// <summary>The <c>oci-layout</c> file that marks a directory (or tar) as an OCI image layout.</summary>
internal sealed class OciLayout
{
    /// <summary>The layout version this engine writes.</summary>
    public const string CurrentVersion = "1.0.0";

    /// <summary>The layout version; 1.x is understood.</summary>
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; set; } = CurrentVersion;
}
