using System.Globalization;
using System.Net;

namespace PSContainer.Api;

/// <summary>
/// The server's command line: <c>--root</c>, <c>--run-root</c>, <c>--socket</c>, <c>--listen host:port</c>,
/// <c>--group</c>, <c>--idle-timeout seconds</c>, <c>--max-body-bytes</c>, <c>--max-upload-bytes</c>.
/// </summary>
internal sealed class ServerOptions
{
    public string? Root { get; private set; }
    public string? RunRoot { get; private set; }
    public string? Socket { get; private set; }
    public IPEndPoint? Listen { get; private set; }
    public string? ListenText { get; private set; }
    public string? Group { get; private set; }
    public TimeSpan? IdleTimeout { get; private set; }

    /// <summary>The cap on a JSON request body: create requests are small, 4 MiB is generous.</summary>
    public long MaxBodyBytes { get; private set; } = 4L << 20;

    /// <summary>The cap on a streamed upload (archive PUT, image load, build context).</summary>
    public long MaxUploadBytes { get; private set; } = 16L << 30;

    public static ServerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ServerOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--root": options.Root = Value(); break;
                case "--run-root": options.RunRoot = Value(); break;
                case "--socket": options.Socket = Path.GetFullPath(Value()); break;
                case "--listen":
                    options.ListenText = Value();
                    options.Listen = IPEndPoint.TryParse(options.ListenText, out var endpoint) && endpoint.Port != 0
                        ? endpoint
                        : throw new ArgumentException($"--listen '{options.ListenText}' is not an address:port such as 127.0.0.1:2375.");
                    break;
                case "--group": options.Group = Value(); break;
                case "--idle-timeout":
                    var seconds = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    options.IdleTimeout = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
                    break;
                case "--max-body-bytes": options.MaxBodyBytes = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--max-upload-bytes": options.MaxUploadBytes = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        return options;
    }
}
