using System.Globalization;
using System.Text.RegularExpressions;

namespace PSContainer.Api;

/// <summary>
/// API version negotiation as dockerd does it: every response says the highest version implemented
/// (API-Version header, /_ping, /version); a request may name its version in a <c>/vX.Y/</c> prefix, which
/// is stripped; versions from <see cref="Minimum"/> to <see cref="Maximum"/> are served, others refused with 400.
/// </summary>
internal static partial class ApiVersion
{
    public static readonly Version Maximum = new(1, 50);
    public static readonly Version Minimum = new(1, 24);
    public const string ItemKey = "api-version";

    public static string MaximumText => Text(Maximum);
    public static string MinimumText => Text(Minimum);

    /// <summary>The version the request asked for (its prefix), else the maximum.</summary>
    public static Version Of(HttpContext context) => context.Items[ItemKey] as Version ?? Maximum;

    public static async Task Negotiate(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers["Api-Version"] = MaximumText;
        headers["Docker-Experimental"] = "false";
        headers["Ostype"] = "linux";
        headers["Server"] = $"PSContainer/{ServerInfo.Version} (linux)";
        var path = context.Request.Path.Value ?? "";
        var match = Prefix().Match(path);
        if (match.Success)
        {
            var version = new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            if (version > Maximum)
                throw new ApiException(StatusCodes.Status400BadRequest, $"client version {Text(version)} is too new. Maximum supported API version is {MaximumText}");
            if (version < Minimum)
                throw new ApiException(StatusCodes.Status400BadRequest, $"client version {Text(version)} is too old. Minimum supported API version is {MinimumText}, please upgrade your client to a newer version");
            context.Items[ItemKey] = version;
            context.Request.Path = match.Groups[3].Value.Length == 0 ? "/" : match.Groups[3].Value;
        }
        await next(context);
    }

    private static string Text(Version version) => $"{version.Major}.{version.Minor}";

    [GeneratedRegex(@"^/v(\d+)\.(\d+)(/.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
