using System.Text.Json;
using System.Text.Json.Serialization;

namespace PSContainer.Engine.Content;

/// <summary>Reads and writes a <see cref="Digest"/> as its string form; a malformed digest fails deserialization.</summary>
internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    /// <inheritdoc/>
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Digest.TryParse(reader.GetString(), out var digest)
            ? digest
            : throw new JsonException($"'{reader.GetString()}' is not a sha256 digest.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
