using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>A token server's answer; Docker's servers say "token", OAuth-style ones "access_token".</summary>
internal sealed class TokenResponse
{
    /// <summary>The bearer token.</summary>
    [JsonPropertyName("token")] public string? Token { get; set; }

    /// <summary>The same token under its OAuth name.</summary>
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }

    /// <summary>Lifetime in seconds.</summary>
    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; set; }

    /// <summary>When the token was issued.</summary>
    [JsonPropertyName("issued_at")] public DateTimeOffset? IssuedAt { get; set; }
}
