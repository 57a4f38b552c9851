using System.Text.Json.Serialization;

namespace PSContainer.Engine.Oci;

/// <summary>The OCI image configuration (application/vnd.oci.image.config.v1+json), Docker's fields included.</summary>
internal sealed class OciImageConfig
{
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; set; }
    [JsonPropertyName("author")] public string? Author { get; set; }
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "amd64";
    [JsonPropertyName("os")] public string Os { get; set; } = "linux";
    [JsonPropertyName("variant")] public string? Variant { get; set; }
    [JsonPropertyName("config")] public OciRunConfig? Config { get; set; }
    [JsonPropertyName("rootfs")] public OciRootFs RootFs { get; set; } = new();
    [JsonPropertyName("history")] public List<OciHistory>? History { get; set; }
}

/// <summary>The run-time settings an image carries.</summary>
internal sealed class OciRunConfig
{
    [JsonPropertyName("User")] public string? User { get; set; }
    [JsonPropertyName("ExposedPorts")] public Dictionary<string, object>? ExposedPorts { get; set; }
    [JsonPropertyName("Env")] public List<string>? Env { get; set; }
    [JsonPropertyName("Entrypoint"), JsonConverter(typeof(StringSliceJsonConverter))] public List<string>? Entrypoint { get; set; }
    [JsonPropertyName("Cmd"), JsonConverter(typeof(StringSliceJsonConverter))] public List<string>? Cmd { get; set; }
    [JsonPropertyName("Volumes")] public Dictionary<string, object>? Volumes { get; set; }
    [JsonPropertyName("WorkingDir")] public string? WorkingDir { get; set; }
    [JsonPropertyName("Labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("StopSignal")] public string? StopSignal { get; set; }
    [JsonPropertyName("Healthcheck")] public OciHealthcheck? Healthcheck { get; set; }
    [JsonPropertyName("OnBuild")] public List<string>? OnBuild { get; set; }
    [JsonPropertyName("Shell")] public List<string>? Shell { get; set; }
}

/// <summary>A HEALTHCHECK as Docker's image format keeps it; durations in nanoseconds, 0 meaning the default.</summary>
internal sealed class OciHealthcheck
{
    /// <summary>["NONE"], ["CMD", args…] or ["CMD-SHELL", command].</summary>
    [JsonPropertyName("Test")] public List<string>? Test { get; set; }
    [JsonPropertyName("Interval")] public long? Interval { get; set; }
    [JsonPropertyName("Timeout")] public long? Timeout { get; set; }
    [JsonPropertyName("StartPeriod")] public long? StartPeriod { get; set; }
    [JsonPropertyName("StartInterval")] public long? StartInterval { get; set; }
    [JsonPropertyName("Retries")] public int? Retries { get; set; }
}

/// <summary>The layer list of an image, by uncompressed digest.</summary>
internal sealed class OciRootFs
{
    [JsonPropertyName("type")] public string Type { get; set; } = "layers";
    [JsonPropertyName("diff_ids")] public List<string> DiffIds { get; set; } = new();
}

/// <summary>One step of an image's history.</summary>
internal sealed class OciHistory
{
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; set; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; set; }
    [JsonPropertyName("author")] public string? Author { get; set; }
    [JsonPropertyName("comment")] public string? Comment { get; set; }
    [JsonPropertyName("empty_layer")] public bool? EmptyLayer { get; set; }
}
