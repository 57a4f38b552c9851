namespace PSContainer.Engine.Registry;

/// <summary>A user name and password (or token) for one registry.</summary>
internal sealed record RegistryCredential(string Username, string Password)
{
    /// <summary>The value of a Basic Authorization header or Docker's "auth" field: base64(user:password).</summary>
    public string ToBasic() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Password));

    /// <summary>Decodes Docker's "auth" field; null when it is not base64 of "user:password".</summary>
    public static RegistryCredential? FromBasic(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
            return null;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':');
            return colon <= 0 ? null : new RegistryCredential(text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Never shows the password.</summary>
    public override string ToString() => Username + ":***";
}
