using System.Text.Json;
using System.Text.Json.Serialization;

namespace PSContainer.Engine.Oci;

/// <summary>
/// Docker's strslice: an image config's Entrypoint or Cmd may be a JSON string, which means a one-element list
/// (and is read as one, as Docker does). It is always written as a list.
/// </summary>
internal sealed class StringSliceJsonConverter : JsonConverter<List<string>?>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(reader.TokenType == JsonTokenType.String
                        ? reader.GetString()!
                        : throw new JsonException($"A command list may hold only strings, not {reader.TokenType}."));
                return items;
            default:
                throw new JsonException($"A command is a string or a list of strings, not {reader.TokenType}.");
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, List<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var item in value)
            writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
