using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry.Support;

/// <summary>
/// A Bearer-token registry in three pieces on 127.0.0.1: a token server, a registry that accepts only its
/// tokens (for the right scope), and a "CDN" on another port that blobs redirect to.
/// </summary>
internal sealed class FakeTokenRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, string[]> _tokens = new();
    private int _blobResponses;

    public FakeTokenRegistry()
    {
        Auth = new FakeHttpServer(HandleTokenAsync);
        Cdn = new FakeHttpServer(HandleCdnAsync);
        Registry = new FakeHttpServer(HandleRegistryAsync);
    }

    public FakeHttpServer Auth { get; }
    public FakeHttpServer Registry { get; }
    public FakeHttpServer Cdn { get; }

    public RegistryCredential? RequiredLogin { get; set; }
    public bool UseAccessTokenField { get; set; }
    public int ExpiresIn { get; set; } = 300;
    public int FailuresBeforeSuccess { get; set; }
    public bool DropFirstBlobResponse { get; set; }

    public int TokenRequests;
    public int FlakyAttempts;
    public int TagPages;
    public ConcurrentQueue<string> TokenQueries { get; } = new();
    public ConcurrentQueue<string?> RegistryAuthorizations { get; } = new();
    public ConcurrentQueue<string?> CdnAuthorizations { get; } = new();
    public ConcurrentQueue<string?> CdnRanges { get; } = new();

    public ConcurrentDictionary<string, (byte[] Body, string? ContentType, string? DigestHeader)> Manifests { get; } = new();
    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new();
    public List<string> Tags { get; } = [];

    private async Task HandleTokenAsync(HttpListenerContext c)
    {
        if (RequiredLogin is { } login && c.Request.Headers["Authorization"] != "Basic " + login.ToBasic())
        {
            c.Response.StatusCode = 401;
            return;
        }
        Interlocked.Increment(ref TokenRequests);
        TokenQueries.Enqueue(c.Request.Url!.Query);
        var token = Guid.NewGuid().ToString("N");
        _tokens[token] = c.Request.QueryString.GetValues("scope") ?? [];
        var field = UseAccessTokenField ? "access_token" : "token";
        await WriteAsync(c, 200, $$"""{"{{field}}":"{{token}}","expires_in":{{ExpiresIn}}}""", "application/json");
    }

    private async Task HandleRegistryAsync(HttpListenerContext c)
    {
        var path = c.Request.Url!.AbsolutePath;
        RegistryAuthorizations.Enqueue(c.Request.Headers["Authorization"]);
        if (path == "/v2/")
        {
            if (!Authorized(c, null))
                await ChallengeAsync(c, null);
            return;
        }
        var match = Regex.Match(path, "^/v2/(.+)/(manifests|blobs|tags)/(.+)$");
        var repository = match.Groups[1].Value;
        if (!Authorized(c, $"repository:{repository}:pull"))
        {
            await ChallengeAsync(c, $"repository:{repository}:pull");
            return;
        }
        var rest = match.Groups[3].Value;
        switch (match.Groups[2].Value)
        {
            case "manifests" when rest == "flaky" && Interlocked.Increment(ref FlakyAttempts) <= FailuresBeforeSuccess:
                c.Response.StatusCode = 503;
                return;
            case "manifests" when Manifests.TryGetValue(repository + ":" + rest, out var manifest):
                if (manifest.ContentType is not null)
                    c.Response.ContentType = manifest.ContentType;
                if (manifest.DigestHeader is not null)
                    c.Response.Headers["Docker-Content-Digest"] = manifest.DigestHeader;
                c.Response.ContentLength64 = manifest.Body.Length;
                if (c.Request.HttpMethod != "HEAD")
                    await c.Response.OutputStream.WriteAsync(manifest.Body);
                return;
            case "manifests":
                await WriteAsync(c, 404, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}""", "application/json");
                return;
            case "blobs":
                c.Response.StatusCode = 307;
                c.Response.RedirectLocation = $"http://{Cdn.Host}/blobs/{rest}";
                return;
            default:
                await WriteTagPageAsync(c, repository);
                return;
        }
    }

    private async Task WriteTagPageAsync(HttpListenerContext c, string repository)
    {
        Interlocked.Increment(ref TagPages);
        var n = int.TryParse(c.Request.QueryString["n"], out var size) ? size : int.MaxValue;
        var last = c.Request.QueryString["last"];
        var rest = Tags.Order(StringComparer.Ordinal).Where(t => last is null || string.CompareOrdinal(t, last) > 0).ToList();
        var page = rest.Take(n).ToList();
        if (rest.Count > page.Count)
            c.Response.Headers["Link"] = $"</v2/{repository}/tags/list?last={page[^1]}&n={n}>; rel=\"next\"";
        await WriteAsync(c, 200, $$"""{"name":"{{repository}}","tags":[{{string.Join(",", page.Select(t => "\"" + t + "\""))}}]}""", "application/json");
    }

    private async Task HandleCdnAsync(HttpListenerContext c)
    {
        CdnAuthorizations.Enqueue(c.Request.Headers["Authorization"]);
        var range = c.Request.Headers["Range"];
        CdnRanges.Enqueue(range);
        if (!Blobs.TryGetValue(c.Request.Url!.AbsolutePath["/blobs/".Length..], out var blob))
        {
            c.Response.StatusCode = 404;
            return;
        }
        var start = range is not null ? long.Parse(range["bytes=".Length..^1]) : 0;
        if (start > 0)
        {
            c.Response.StatusCode = 206;
            c.Response.Headers["Content-Range"] = $"bytes {start}-{blob.Length - 1}/{blob.Length}";
        }
        c.Response.ContentLength64 = blob.Length - start;
        if (DropFirstBlobResponse && Interlocked.Increment(ref _blobResponses) == 1)
        {
            await c.Response.OutputStream.WriteAsync(blob.AsMemory((int)start, (blob.Length - (int)start) / 2));
            await c.Response.OutputStream.FlushAsync();
            c.Response.Abort();
            return;
        }
        await c.Response.OutputStream.WriteAsync(blob.AsMemory((int)start));
    }

    private bool Authorized(HttpListenerContext c, string? scope)
    {
        var header = c.Request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(header[7..], out var granted))
            return false;
        return scope is null || granted.Any(g => Covers(g, scope));
    }

    private static bool Covers(string granted, string wanted)
    {
        var g = granted.LastIndexOf(':');
        var w = wanted.LastIndexOf(':');
        return granted[..g] == wanted[..w] && granted[(g + 1)..].Split(',').Contains(wanted[(w + 1)..]);
    }

    private Task ChallengeAsync(HttpListenerContext c, string? scope)
    {
        var challenge = $"Bearer realm=\"http://{Auth.Host}/token\",service=\"fake-registry\"" + (scope is null ? "" : $",scope=\"{scope}\"");
        c.Response.Headers["WWW-Authenticate"] = challenge;
        return WriteAsync(c, 401, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""", "application/json");
    }

    private static async Task WriteAsync(HttpListenerContext c, int status, string body, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        c.Response.StatusCode = status;
        c.Response.ContentType = contentType;
        c.Response.ContentLength64 = bytes.Length;
        await c.Response.OutputStream.WriteAsync(bytes);
    }

    public void Dispose()
    {
        Registry.Dispose();
        Cdn.Dispose();
        Auth.Dispose();
    }
}
