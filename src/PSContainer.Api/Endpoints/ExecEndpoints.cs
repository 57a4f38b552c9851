using System.Text;
using System.Text.Json;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Api.Endpoints;

/// <summary>Exec: create, start (attached, detached, with a terminal), resize, inspect.</summary>
internal static class ExecEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/containers/{id}/exec", Create);
        app.MapPost("/exec/{id}/start", Start);
        app.MapPost("/exec/{id}/resize", Resize);
        app.MapGet("/exec/{id}/json", Inspect);
    }

    private sealed class CreateBody
    {
        public bool AttachStdin { get; set; }
        public bool AttachStdout { get; set; }
        public bool AttachStderr { get; set; }
        public bool Tty { get; set; }
        public List<int>? ConsoleSize { get; set; }
        public List<string>? Env { get; set; }
        public List<string>? Cmd { get; set; }
        public bool Privileged { get; set; }
        public string? User { get; set; }
        public string? WorkingDir { get; set; }
        public string? DetachKeys { get; set; }
    }

    private sealed class StartBody
    {
        public bool Detach { get; set; }
        public bool Tty { get; set; }
        public List<int>? ConsoleSize { get; set; }
    }

    private static async Task Create(HttpContext context)
    {
        var body = await Json.ReadBody<CreateBody>(context);
        if (body.Cmd is not { Count: > 0 }) throw ApiException.BadRequest("No exec command specified");
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var record = await Engines.Run(() => ContainerEndpoints.Find(engine, id));
        if (record.State.Status != ContainerStatus.Running)
            throw ApiException.Conflict($"container {record.Id} is not running");
        var request = new ExecRequest
        {
            Command = body.Cmd,
            User = string.IsNullOrEmpty(body.User) ? null : body.User,
            WorkingDirectory = string.IsNullOrEmpty(body.WorkingDir) ? null : body.WorkingDir,
            Environment = body.Env ?? [],
            Privileged = body.Privileged,
        };
        var session = context.RequestServices.GetRequiredService<ExecSessions>().Add(record.Id, request,
            new ExecOptions(body.Tty, body.AttachStdin, body.AttachStdout, body.AttachStderr, Size(body.ConsoleSize)));
        await Json.Write(context, new { Id = session.Id }, StatusCodes.Status201Created);
    }

    private static (int, int)? Size(List<int>? size) => size is [var rows, var columns] && rows > 0 && columns > 0 ? (rows, columns) : null;

    private static async Task Start(HttpContext context)
    {
        var body = await Json.ReadBody<StartBody>(context);
        var engine = Engines.Of(context);
        var session = context.RequestServices.GetRequiredService<ExecSessions>().Find(Engines.Route(context, "id"));
        lock (session)
        {
            if (session.Started) throw ApiException.Conflict($"exec {session.Id} has already been started");
            session.Started = true;
            session.Running = true;
        }
        var tty = body.Tty || session.Options.Tty;
        var size = Size(body.ConsoleSize) ?? session.Options.ConsoleSize;
        var exec = engine.Exec;
        if (body.Detach)
        {
            // Nobody reads its output: it runs until it ends, its exit code kept for inspect.
            _ = Task.Run(async () =>
            {
                try
                {
                    var code = tty
                        ? await exec.RunOnTerminalAsync(session.ContainerId, session.Request, size, null, Discard, (dir, pid) => Attached(session, dir, pid), CancellationToken.None)
                        : await exec.RunStreamsAsync(session.ContainerId, session.Request, null, Discard, pid => session.Pid = pid, CancellationToken.None);
                    Finish(session, code);
                }
                catch (EngineException ex)
                {
                    Finish(session, ExitCodeOf(ex));
                }
            });
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var (input, outputStream, cancel) = await Hijack.Take(context, MultiplexedStream.ContentType(tty));
        var output = new MultiplexedStream(outputStream, tty);
        var options = session.Options;
        Task Write(bool isError, ReadOnlyMemory<byte> data, CancellationToken cancel) =>
            (isError ? options.AttachStderr : options.AttachStdout) ? output.WriteAsync(isError ? MultiplexedStream.Stderr : MultiplexedStream.Stdout, data, cancel) : Task.CompletedTask;
        var stdin = options.AttachStdin ? input : null;
        try
        {
            var code = tty
                ? await exec.RunOnTerminalAsync(session.ContainerId, session.Request, size, stdin, Write, (dir, pid) => Attached(session, dir, pid), cancel)
                : await exec.RunStreamsAsync(session.ContainerId, session.Request, stdin, Write, pid => session.Pid = pid, cancel);
            Finish(session, code);
        }
        catch (EngineException ex)
        {
            // The stream has begun: the failure can only be told on stderr, and in the exit code inspect reports.
            Finish(session, ExitCodeOf(ex));
            await output.WriteAsync(MultiplexedStream.Stderr, Encoding.UTF8.GetBytes(ex.Message + "\n"), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            Finish(session, 130);
        }
        catch (IOException)
        {
            // The client went away; the process was stopped with its stream.
        }
        try { await outputStream.FlushAsync(CancellationToken.None); } catch (IOException) { }
        Hijack.End(context);
    }

    private static Task Discard(bool isError, ReadOnlyMemory<byte> data, CancellationToken cancel) => Task.CompletedTask;

    private static void Attached(ExecSession session, string dir, int pid)
    {
        session.TerminalDir = dir;
        session.Pid = pid;
    }

    private static void Finish(ExecSession session, int code)
    {
        session.ExitCode = code;
        session.Running = false;
        session.TerminalDir = null;
        session.FinishedAt = DateTimeOffset.UtcNow;
    }

    private static int ExitCodeOf(EngineException ex) => ex.Data["ExitCode"] is int code ? code : 126;

    private static async Task Resize(HttpContext context)
    {
        var (rows, columns) = AttachEndpoints.Size(context);
        var session = context.RequestServices.GetRequiredService<ExecSessions>().Find(Engines.Route(context, "id"));
        if (session.TerminalDir is { } dir) await Engines.Run(() => ConsoleAttachment.ResizeIn(dir, rows, columns));
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task Inspect(HttpContext context)
    {
        var session = context.RequestServices.GetRequiredService<ExecSessions>().Find(Engines.Route(context, "id"));
        await Json.Write(context, new
        {
            ID = session.Id,
            Running = session.Running,
            ExitCode = session.ExitCode,
            ProcessConfig = new
            {
                tty = session.Options.Tty,
                entrypoint = session.Request.Command[0],
                arguments = session.Request.Command.Skip(1).ToArray(),
                privileged = session.Request.Privileged,
                user = session.Request.User ?? "",
            },
            OpenStdin = session.Options.AttachStdin,
            OpenStderr = session.Options.AttachStderr,
            OpenStdout = session.Options.AttachStdout,
            CanRemove = false,
            ContainerID = session.ContainerId,
            DetachKeys = "",
            Pid = session.Pid,
        });
    }
}
