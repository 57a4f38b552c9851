using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PSContainer.Api;
using PSContainer.Api.Endpoints;
using PSContainer.Engine;
using PSContainer.Engine.ApiService;
using PSContainer.Engine.Interop;

// pscontainer-api: the Docker Engine API over a PSContainer store, for the docker CLI, docker-compose and
// Testcontainers. It keeps no state of its own: every request opens the store, takes its locks and acts,
// as a cmdlet does, so both work on the same containers at once.
ServerOptions options;
try
{
    options = ServerOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"pscontainer-api: {ex.Message}");
    return 2;
}

ContainerEngine engine;
try
{
    engine = ContainerEngine.Open(EngineOptions.FromEnvironment(options.Root) with { RunRoot = options.RunRoot ?? EngineOptions.FromEnvironment(options.Root).RunRoot });
}
catch (EngineException ex)
{
    Console.Error.WriteLine($"pscontainer-api: {ex.Message}");
    return 1;
}

var activated = SocketActivation.ListenFd();
var socket = activated is null ? options.Socket ?? (options.Listen is null ? ApiServers.DefaultSocket(engine.Layout) : null) : null;
PeerCredentials peers;
try
{
    peers = new PeerCredentials(options.Group);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"pscontainer-api: {ex.Message}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(engine);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<PSContainer.Api.Endpoints.ExecSessions>();
builder.Services.AddSingleton<PSContainer.Api.Endpoints.AttachRendezvous>();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
    kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
    // Followed logs, events and attached streams stay open for as long as the client wants.
    kestrel.Limits.MinResponseDataRate = null;
    kestrel.Limits.MinRequestBodyDataRate = null;
    kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
    void Secure(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(peers.Middleware);
        listen.Use(HalfClose.Middleware);
    }
    if (activated is { } fd) kestrel.ListenHandle(fd, Secure);
    if (socket is not null)
    {
        RemoveStaleSocket(socket);
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        kestrel.ListenUnixSocket(socket, Secure);
    }
    if (options.Listen is { } endpoint)
    {
        if (!IPAddress.IsLoopback(endpoint.Address))
            Console.Error.WriteLine($"pscontainer-api: WARNING: listening on {endpoint} without TLS or authentication gives root on this host to anyone who can reach it.");
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(HalfClose.Middleware);
        });
    }
});

var app = builder.Build();
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("pscontainer-api");
var idle = new IdleWatch(options.IdleTimeout, app.Lifetime);
app.Use(idle.Track);
app.Use((context, next) => ErrorResponses.Handle(context, next, logger));
app.Use(ApiVersion.Negotiate);
// Routing after the version prefix is stripped.
app.UseRouting();
SystemEndpoints.Map(app);
ContainerEndpoints.Map(app);
ArchiveEndpoints.Map(app);
AttachEndpoints.Map(app);
ExecEndpoints.Map(app);
ImageEndpoints.Map(app);
VolumeEndpoints.Map(app);
NetworkEndpoints.Map(app);
app.MapFallback(context => throw ApiException.NotFound($"page not found: {context.Request.Method} {context.Request.Path}"));

var pid = Environment.ProcessId;
app.Lifetime.ApplicationStarted.Register(() =>
{
    if (socket is not null) SecureSocketFile(socket, peers.GroupId());
    ApiServers.Register(engine.Layout, new ApiServerInfo
    {
        Pid = pid,
        Socket = socket,
        Listen = options.ListenText,
        Group = options.Group,
        Root = engine.Layout.Root,
        Started = DateTimeOffset.UtcNow,
        IdleTimeout = options.IdleTimeout,
    });
    idle.Start();
});
app.Lifetime.ApplicationStopped.Register(() =>
{
    ApiServers.Unregister(engine.Layout, pid);
    if (socket is not null) File.Delete(socket);
});
try
{
    await app.RunAsync();
}
catch (IOException ex)
{
    Console.Error.WriteLine($"pscontainer-api: cannot listen: {ex.Message}");
    return 1;
}
return 0;

// A socket file left by a server that died is removed; one that answers belongs to a live server.
static void RemoveStaleSocket(string path)
{
    if (!File.Exists(path)) return;
    using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
    try
    {
        probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        throw new IOException($"{path} is in use by a running server.");
    }
    catch (System.Net.Sockets.SocketException)
    {
        File.Delete(path);
    }
}

// 0660 root:<group>: root, and the group when one is configured (the peer check repeats this at accept).
static void SecureSocketFile(string path, uint? group)
{
    Libc.Check(Libc.lchown(path, 0, group is { } gid ? (int)gid : 0), "chown", path);
    Libc.Check(Libc.chmod(path, Convert.ToUInt32("660", 8)), "chmod", path);
}
