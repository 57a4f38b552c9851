using System.Text;
using System.Text.Json;
using PSContainer.Engine.Registry;

namespace PSContainer.Api.Endpoints;

/// <summary>
/// The X-Registry-Auth header of pull and push: base64url JSON with username and password (or an identity
/// token). Without one the engine uses the stored login, as Receive-Image does.
/// </summary>
internal static class RegistryAuthHeader
{
    public static RegistryClientOptions Options(HttpContext context)
    {
        var options = new RegistryClientOptions();
        if (context.Request.Headers["X-Registry-Auth"].FirstOrDefault() is not { Length: > 0 } header) return options;
        try
        {
            var padded = header.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            var root = document.RootElement;
            string? Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (Field("username") is { Length: > 0 } user && Field("password") is { Length: > 0 } password)
                options.Credential = new RegistryCredential(user, password);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw ApiException.BadRequest("invalid X-Registry-Auth header");
        }
        return options;
    }
}
