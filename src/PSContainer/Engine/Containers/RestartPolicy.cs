using System.Globalization;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Docker's restart policy: <c>no</c>, <c>on-failure[:N]</c>, <c>always</c> or <c>unless-stopped</c>.
/// The record keeps it in Docker's string form.
/// </summary>
internal readonly record struct RestartPolicy(RestartPolicyKind Kind, int MaximumRetryCount)
{
    /// <summary>No restarts: the default.</summary>
    public static readonly RestartPolicy No = new(RestartPolicyKind.No, 0);

    /// <summary>Parses Docker's string; null or empty is <c>no</c>.</summary>
    public static RestartPolicy Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return No;
        var parts = text.Trim().Split(':', 2);
        var name = parts[0].ToLowerInvariant();
        var kind = name switch
        {
            "no" => RestartPolicyKind.No,
            "on-failure" => RestartPolicyKind.OnFailure,
            "always" => RestartPolicyKind.Always,
            "unless-stopped" => RestartPolicyKind.UnlessStopped,
            _ => throw Invalid(text, "the policy is no, on-failure[:max-retries], always or unless-stopped"),
        };
        if (parts.Length == 1) return new RestartPolicy(kind, 0);
        if (kind != RestartPolicyKind.OnFailure)
            throw Invalid(text, "only on-failure takes a maximum retry count");
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 0)
            throw Invalid(text, "the maximum retry count is a whole number, 0 or more");
        return new RestartPolicy(kind, max);
    }

    /// <summary>Whether the container is ever restarted by the engine.</summary>
    public bool IsNone => Kind == RestartPolicyKind.No;

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        RestartPolicyKind.OnFailure => MaximumRetryCount > 0 ? "on-failure:" + MaximumRetryCount.ToString(CultureInfo.InvariantCulture) : "on-failure",
        RestartPolicyKind.Always => "always",
        RestartPolicyKind.UnlessStopped => "unless-stopped",
        _ => "no",
    };

    private static EngineException Invalid(string text, string why) =>
        new("InvalidRestartPolicy", EngineErrorKind.InvalidArgument, $"Restart policy '{text}' is invalid: {why}.", text);
}

/// <summary>The kinds of restart policy.</summary>
internal enum RestartPolicyKind
{
    No,
    OnFailure,
    Always,
    UnlessStopped,
}
