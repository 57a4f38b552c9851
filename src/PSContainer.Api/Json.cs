using System.Text.Json;
using System.Text.Json.Serialization;

namespace PSContainer.Api;

/// <summary>Reading request bodies and writing responses in the Docker API's JSON (PascalCase names).</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads the body as <typeparamref name="T"/>; an empty body gives a new T, malformed JSON a 400.</summary>
    public static async Task<T> ReadBody<T>(HttpContext context) where T : new()
    {
        if (context.Request.ContentLength == 0) return new T();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0) return new T();
        buffer.Position = 0;
        try
        {
            return JsonSerializer.Deserialize<T>(buffer, Options) ?? new T();
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"invalid JSON in the request body: {ex.Message}");
        }
    }

    /// <summary>Reads the body as a JSON document (for fields checked one by one); malformed JSON gives a 400.</summary>
    public static async Task<JsonElement> ReadElement(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0) return JsonSerializer.SerializeToElement(new { });
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("the request body must be a JSON object");
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"invalid JSON in the request body: {ex.Message}");
        }
    }

    public static Task Write(HttpContext context, object? value, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, Options) + "\n", context.RequestAborted);
    }

    /// <summary>Writes one object of a JSON stream (pull progress, build output, events) and flushes it.</summary>
    public static async Task WriteLine(HttpContext context, object value)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(value, Options) + "\r\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static T? Convert<T>(JsonElement element) => element.Deserialize<T>(Options);
}
